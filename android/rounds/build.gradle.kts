// The Kotlin library over the UniFFI bindings: plain Kotlin/JVM, so its
// tests run on a desktop JVM against the host .so (see ../run-jvm-tests.sh).
plugins {
    id("org.jetbrains.kotlin.jvm")
}

kotlin {
    jvmToolchain(17)
}

val repoRoot = rootDir.parentFile

// The generated bindings (gitignored) come from the Rust crate in this checkout.
val generateBindings by tasks.registering(Exec::class) {
    description = "Builds librounds_mobile for this machine and generates the Kotlin bindings"
    workingDir = repoRoot
    commandLine("${repoRoot}/mobile-bindings/build.sh", "kotlin")
    inputs.dir("${repoRoot}/mobile-bindings/src")
    inputs.dir("${repoRoot}/core/src")
    outputs.dir("src/main/kotlin/app/rounds/ffi")
}

tasks.named("compileKotlin") { dependsOn(generateBindings) }

dependencies {
    // The app swaps this jar for JNA's Android aar (see app/build.gradle.kts).
    implementation("net.java.dev.jna:jna:5.14.0")
    testImplementation("junit:junit:4.13.2")
}

tasks.test {
    // The host library built by generateBindings.
    systemProperty("jna.library.path", "${repoRoot}/target/debug")
}
