#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Result.h"

#include <QDateTime>
#include <QObject>
#include <QUrl>
#include <chrono>
#include <functional>
#include <vector>

class QNetworkAccessManager;

namespace jwti {

struct JwksFetchLimits
{
    qint64 maxBytes = 1024 * 1024; // a JWKS or discovery document larger than this is refused
    std::chrono::milliseconds timeout = std::chrono::seconds(10); // for each document, start to end
    int maxRedirects = 3;
};

struct FetchedJwks
{
    QUrl requested; // what the user gave: a JWKS URL or an issuer
    QUrl jwksUrl; // where the keys came from (the issuer's jwks_uri)
    QDateTime fetched;
    std::vector<Key> keys; // public keys only, with kid/alg metadata from the JWKS
};

// Fetches a JWKS on request, from its URL or through an OpenID issuer's discovery document. https only; plain
// http is allowed for loopback addresses alone (local test servers), and a redirect may never go from https to
// http. Documents are size and time limited. A token's own jku/x5u header is never a reason to call this.
class JwksFetcher : public QObject
{
    Q_OBJECT

public:
    enum class Mode { JwksUrl, Issuer };

    explicit JwksFetcher(QObject* parent = nullptr);

    void setLimits(const JwksFetchLimits& limits) { m_limits = limits; }
    const JwksFetchLimits& limits() const { return m_limits; }

    // done runs once, on this object's thread, unless this object is destroyed first.
    void fetch(const QUrl& url, Mode mode, std::function<void(Result<FetchedJwks>)> done);

    // https, or http to 127.0.0.0/8, ::1 or localhost; no user info (a password in a URL would be logged).
    static Result<void> checkUrl(const QUrl& url);
    // RFC 8414 / OpenID Connect Discovery 1.0 §4: issuer + "/.well-known/openid-configuration".
    static QUrl discoveryUrl(const QUrl& issuer);

private:
    void get(const QUrl& url, std::function<void(Result<QByteArray>)> done);
    void fetchJwks(const QUrl& requested, const QUrl& jwksUrl, std::function<void(Result<FetchedJwks>)> done);

    QNetworkAccessManager* m_network;
    JwksFetchLimits m_limits;
};

} // namespace jwti
