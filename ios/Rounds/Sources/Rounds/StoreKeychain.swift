import Foundation
import RoundsFFI
import Security

/// The key this phone's store is encrypted with: 32 random bytes made on
/// first use and kept in the Keychain as this device's only
/// (`kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`: readable once the
/// phone was unlocked after a restart, so a background sync works; never
/// restored onto another phone from a backup).
public enum StoreKeychain {
    private static let query: [String: Any] = [
        kSecClass as String: kSecClassGenericPassword,
        kSecAttrService as String: "app.rounds.field",
        kSecAttrAccount as String: "store-key",
    ]

    /// Made and kept the first time. Throws when the Keychain cannot be
    /// read or written (`errSecInteractionNotAllowed` before the first unlock).
    public static func storeKey() throws -> Data {
        var q = query
        q[kSecReturnData as String] = true
        var item: CFTypeRef?
        let found = SecItemCopyMatching(q as CFDictionary, &item)
        if found == errSecSuccess, let key = item as? Data, key.count == keyBytes {
            return key
        }
        guard found == errSecItemNotFound else { throw KeychainError(status: found) }
        var key = Data(count: keyBytes)
        let made = key.withUnsafeMutableBytes { SecRandomCopyBytes(kSecRandomDefault, keyBytes, $0.baseAddress!) }
        guard made == errSecSuccess else { throw KeychainError(status: made) }
        var add = query
        add[kSecValueData as String] = key
        add[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        let added = SecItemAdd(add as CFDictionary, nil)
        guard added == errSecSuccess else { throw KeychainError(status: added) }
        return key
    }

    /// What to tell the user before `startAfresh`, and the button that agrees.
    public static var lostWords: StoreKeyLost { storeKeyLost() }

    /// After `RoundsError.WrongStoreKey`, once the user agreed: sets the
    /// unreadable store aside and forgets its key. The next sign-in starts an
    /// empty store and syncs it from the server; unsynced changes are lost.
    public static func startAfresh(appDirectory: URL) throws {
        try setAsideStore(appDir: appDirectory.path)
        SecItemDelete(query as CFDictionary)
    }

    private static let keyBytes = 32
}

public struct KeychainError: Error {
    public let status: OSStatus
}
