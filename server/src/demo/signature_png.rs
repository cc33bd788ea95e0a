//! A resident's signature as a small PNG, drawn rather than scanned: demo
//! data and the simulated phone need a real image the console can show,
//! without an image crate. Uncompressed (stored) deflate keeps it short.

/// A greyscale PNG of a handwritten-looking stroke, varied by `seed`.
pub fn signature_png(seed: u32) -> Vec<u8> {
    let (w, h) = (240usize, 80usize);
    let mut pixels = vec![255u8; w * h];
    let phase = (seed % 97) as f64 / 15.0;
    for x in 8..w - 8 {
        let t = x as f64 / 18.0 + phase;
        let y = 40.0 + 18.0 * t.sin() * (0.6 + 0.4 * (t / 3.0).cos());
        for dy in -1..=1 {
            let yy = (y as isize + dy).clamp(0, h as isize - 1) as usize;
            pixels[yy * w + x] = 20;
        }
    }
    let mut raw = Vec::with_capacity((w + 1) * h);
    for row in pixels.chunks(w) {
        raw.push(0); // filter: none
        raw.extend_from_slice(row);
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(w as u32).to_be_bytes());
    ihdr.extend_from_slice(&(h as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &zlib_stored(&raw));
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + byte as u32) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_png_specs_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn signatures_are_pngs_and_differ_by_seed() {
        let a = signature_png(1);
        assert!(a.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(
            a.ends_with(&[0xAE, 0x42, 0x60, 0x82]),
            "IEND's CRC closes the file"
        );
        assert_ne!(a, signature_png(2));
    }
}
