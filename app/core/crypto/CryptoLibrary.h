#pragma once

#include <QString>

namespace jwti {

// The OpenSSL this process runs with ("OpenSSL 3.0.17 1 Jul 2025") and the one it was built against; they differ
// when the system library was updated after the build, which is worth seeing in a bug report.
QString openSslRuntimeVersion();
QString openSslBuildVersion();

} // namespace jwti
