#include "core/jose/Deflate.h"

#include <QCoreApplication>
#include <algorithm>
#include <zlib.h>

namespace jwti {

struct DeflateText
{
    Q_DECLARE_TR_FUNCTIONS(Jwe)
};

QByteArray deflateRaw(QByteArrayView data)
{
    z_stream stream{};
    // windowBits -15: a raw stream, no zlib header or checksum (RFC 7516 §4.1.3 names RFC 1951).
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(static_cast<qsizetype>(deflateBound(&stream, static_cast<uLong>(data.size()))), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = deflate(&stream, Z_FINISH);
    out.truncate(static_cast<qsizetype>(stream.total_out));
    deflateEnd(&stream);
    return status == Z_STREAM_END ? out : QByteArray();
}

Result<QByteArray> inflateRaw(QByteArrayView compressed, qsizetype maxBytes)
{
    using R = Result<QByteArray>;
    z_stream stream{};
    if (inflateInit2(&stream, -15) != Z_OK)
        return R::failure(ErrorCode::Crypto, DeflateText::tr("zlib could not start"));
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    QByteArray out;
    constexpr qsizetype chunk = 64 * 1024;
    int status = Z_OK;
    while (status != Z_STREAM_END) {
        if (out.size() > maxBytes) {
            inflateEnd(&stream);
            return R::failure(ErrorCode::PayloadInvalid,
                              DeflateText::tr("the \"zip\" plaintext inflates past the %1 MiB cap; refused before "
                                              "inflating further (a zip bomb?)")
                                  .arg(maxBytes / (1024 * 1024)));
        }
        const qsizetype used = out.size();
        // One byte past the cap is enough to know the cap is passed.
        const qsizetype room = std::min(chunk, maxBytes + 1 - used);
        out.resize(used + room);
        stream.next_out = reinterpret_cast<Bytef*>(out.data() + used);
        stream.avail_out = static_cast<uInt>(room);
        status = inflate(&stream, Z_NO_FLUSH);
        out.truncate(used + room - static_cast<qsizetype>(stream.avail_out));
        if (status == Z_BUF_ERROR && stream.avail_in == 0)
            break;
        if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
            inflateEnd(&stream);
            return R::failure(ErrorCode::PayloadInvalid,
                              DeflateText::tr("the \"zip\": \"DEF\" plaintext is not a DEFLATE stream (%1)")
                                  .arg(QString::fromLatin1(stream.msg ? stream.msg : "zlib error")));
        }
    }
    inflateEnd(&stream);
    if (out.size() > maxBytes)
        return R::failure(ErrorCode::PayloadInvalid,
                          DeflateText::tr("the \"zip\" plaintext inflates past the %1 MiB cap; refused before "
                                          "inflating further (a zip bomb?)")
                              .arg(maxBytes / (1024 * 1024)));
    if (status != Z_STREAM_END)
        return R::failure(ErrorCode::PayloadInvalid,
                          DeflateText::tr("the \"zip\": \"DEF\" plaintext is a truncated DEFLATE stream"));
    return out;
}

} // namespace jwti
