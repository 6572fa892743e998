# CPack: `cmake --build BUILD_DIR --target package` makes the platform's package from the install rules.
#   Linux   → jwt-inspector_VERSION_ARCH.deb (tested: packaging/test-deb.sh, in CI)
#   macOS   → JWT Inspector-VERSION-Darwin.dmg, a drag-and-drop disk image of the app bundle (not tried)
#   Windows → an NSIS installer, or a WiX .msi with -DCPACK_GENERATOR=WIX (not tried)
set(CPACK_PACKAGE_NAME "jwt-inspector")
set(CPACK_PACKAGE_VENDOR "The JWT Inspector authors")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${JWTI_HOMEPAGE_URL}")
set(CPACK_PACKAGE_CONTACT "${JWTI_PACKAGE_MAINTAINER}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "JWT Inspector")
# Start menu entry (NSIS, WiX): executable name, then the label shown.
set(CPACK_PACKAGE_EXECUTABLES "jwt-inspector" "JWT Inspector")
# The build type is RelWithDebInfo: the package ships the executable without its debug sections.
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)

if(APPLE)
  set(CPACK_GENERATOR "DragNDrop" CACHE STRING "CPack generators")
  set(CPACK_PACKAGE_FILE_NAME "JWT Inspector-${PROJECT_VERSION}-Darwin")
  set(CPACK_DMG_VOLUME_NAME "JWT Inspector")
  set(CPACK_DMG_FORMAT "UDZO")
elseif(WIN32)
  set(CPACK_GENERATOR "NSIS" CACHE STRING "CPack generators (NSIS or WIX)")
  set(CPACK_NSIS_DISPLAY_NAME "JWT Inspector")
  set(CPACK_NSIS_PACKAGE_NAME "JWT Inspector ${PROJECT_VERSION}")
  set(CPACK_NSIS_URL_INFO_ABOUT "${JWTI_HOMEPAGE_URL}")
  set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
  set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\jwt-inspector.exe")
  # A fixed upgrade code lets a newer .msi replace an older one instead of installing beside it.
  set(CPACK_WIX_UPGRADE_GUID "6F0E8C8A-2D1B-4C47-9C3E-5A7B1E2D4F60")
  set(CPACK_WIX_PRODUCT_NAME "JWT Inspector")
else()
  set(CPACK_GENERATOR "DEB" CACHE STRING "CPack generators")
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
  set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
  # The synopsis line is CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the extended description under it.
  set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "A desktop app and a command line for the people who work with JSON Web Tokens: paste a token to see exactly what
it says and whether to trust it, keep and rotate signing keys in the system keychain, and learn how a JWT is built,
character by character. Verifies and signs HS, RS, PS, ES and EdDSA tokens with keys from PEM, DER, JWK or JWKS.")
  set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
  # The libraries the executable links (Qt, OpenSSL, QtKeychain, libstdc++ …) with the versions they need, read from
  # the installed Debian packages by dpkg-shlibdeps: never a hand-written list that drifts.
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  # What only gets loaded at run time, so dpkg-shlibdeps cannot see it:
  # - libsecret-1-0: QtKeychain opens libsecret-1.so.0 with dlopen() to reach the Secret Service; without it every
  #   keychain call fails ("no keychain") and libqt6keychain1 does not depend on it.
  # - libqt6svg6: the window icon (and the hicolor SVG) is drawn by Qt's SVG image and icon-engine plugins; without
  #   them the window has no icon.
  # The X11 platform plugin (libqxcb.so) and the offscreen one ship in libqt6gui6 on Debian 12, which
  # dpkg-shlibdeps already adds through libQt6Gui.so.6.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libsecret-1-0, libqt6svg6")
  # - A Secret Service provider: without one the key store says so and keeps nothing (no plaintext fallback), while
  #   decoding, verifying and signing with files keep working. GNOME Keyring, KeePassXC or KWallet (QtKeychain talks
  #   to KWallet directly) — the same choice libqt6keychain1 recommends, plus KeePassXC.
  # - qt6-wayland: the native Wayland platform plugin; without it Qt runs through XWayland with the xcb plugin.
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | keepassxc | kwalletmanager, qt6-wayland")
endif()

include(CPack)
