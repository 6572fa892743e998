#pragma once

// Raw DEFLATE (RFC 1951) for the JWE "zip": "DEF" member (RFC 7516 §4.1.3), through zlib.

#include "core/jose/Result.h"

#include <QByteArray>

namespace jwti {

QByteArray deflateRaw(QByteArrayView data);

// Inflates at most maxBytes of output; a stream that would produce more is refused as soon as it passes the cap,
// never inflated to the end (a zip bomb costs the cap, not its full size). PayloadInvalid when it is not DEFLATE,
// is truncated, or passes the cap.
Result<QByteArray> inflateRaw(QByteArrayView compressed, qsizetype maxBytes);

} // namespace jwti
