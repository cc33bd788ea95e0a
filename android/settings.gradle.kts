pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "rounds-android"

// The Kotlin library over the generated bindings (plain JVM, no Android imports).
include(":rounds")
// The field app (Jetpack Compose).
include(":app")
