#include "keystore/JwksFetcher.h"

#include "core/jose/Jwk.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <memory>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "JwksFetcher", for the messages here.
struct JwksFetcherText
{
    Q_DECLARE_TR_FUNCTIONS(JwksFetcher)
};

namespace {

bool isLoopbackHost(const QString& host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString shown(const QUrl& url)
{
    return url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

Error networkError(const QString& message)
{
    return Error{ErrorCode::Network, message};
}

QString stripTrailingSlash(QString text)
{
    while (text.endsWith(QLatin1Char('/')))
        text.chop(1);
    return text;
}

} // namespace

JwksFetcher::JwksFetcher(QObject* parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
    // Never a cookie jar or a cache on disk: each fetch stands alone.
    m_network->setCookieJar(nullptr);
}

Result<void> JwksFetcher::checkUrl(const QUrl& url)
{
    if (!url.isValid() || url.host().isEmpty())
        return networkError(JwksFetcherText::tr("\"%1\" is not a URL with a host").arg(shown(url)));
    if (!url.userInfo().isEmpty())
        return networkError(JwksFetcherText::tr("a URL with a user name or password is refused"));
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return {};
    if (scheme == QLatin1String("http") && isLoopbackHost(url.host()))
        return {};
    if (scheme == QLatin1String("http")) {
        return networkError(JwksFetcherText::tr("%1: plain http is allowed for loopback addresses only; keys fetched "
                                                "without TLS could be swapped on the way")
                                .arg(shown(url)));
    }
    return networkError(JwksFetcherText::tr("%1: only https URLs are fetched").arg(shown(url)));
}

QUrl JwksFetcher::discoveryUrl(const QUrl& issuer)
{
    QUrl url = issuer;
    url.setPath(stripTrailingSlash(issuer.path()) + QStringLiteral("/.well-known/openid-configuration"));
    return url;
}

void JwksFetcher::get(const QUrl& url, std::function<void(Result<QByteArray>)> done)
{
    if (auto allowed = checkUrl(url); !allowed) {
        done(allowed.error());
        return;
    }
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::UserVerifiedRedirectPolicy);
    request.setMaximumRedirectsAllowed(m_limits.maxRedirects);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setRawHeader("Accept", "application/jwk-set+json, application/json");
    QNetworkReply* reply = m_network->get(request);

    struct State
    {
        QByteArray body;
        QString failure; // set when we abort the reply ourselves
    };
    auto state = std::make_shared<State>();
    const qint64 maxBytes = m_limits.maxBytes;
    auto failWith = [reply, state](const QString& why) {
        if (state->failure.isEmpty())
            state->failure = why;
        reply->abort();
    };

    connect(reply, &QNetworkReply::redirected, reply, [reply, url, failWith](const QUrl& target) {
        const QUrl resolved = url.resolved(target);
        if (auto allowed = checkUrl(resolved); !allowed) {
            failWith(JwksFetcherText::tr("redirect to %1 refused: %2").arg(shown(resolved), allowed.message()));
            return;
        }
        if (url.scheme().toLower() == QLatin1String("https") && resolved.scheme().toLower() != QLatin1String("https")) {
            failWith(JwksFetcherText::tr("redirect from https to %1 refused: it would drop TLS").arg(shown(resolved)));
            return;
        }
        emit reply->redirectAllowed();
    });
    connect(reply, &QNetworkReply::metaDataChanged, reply, [reply, maxBytes, failWith] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() > maxBytes)
            failWith(JwksFetcherText::tr("the document is %1 bytes; the limit is %2")
                         .arg(length.toLongLong())
                         .arg(maxBytes));
    });
    connect(reply, &QNetworkReply::readyRead, reply, [reply, state, maxBytes, failWith] {
        state->body += reply->read(maxBytes + 1 - state->body.size());
        if (state->body.size() > maxBytes)
            failWith(JwksFetcherText::tr("the document is larger than the limit of %1 bytes").arg(maxBytes));
    });
    auto* deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    const auto timeout = m_limits.timeout;
    connect(deadline, &QTimer::timeout, reply, [failWith, timeout] {
        failWith(JwksFetcherText::tr("no complete answer within %1 s").arg(double(timeout.count()) / 1000.0));
    });
    deadline->start(timeout);

    connect(reply, &QNetworkReply::finished, this, [reply, url, state, maxBytes, done] {
        reply->deleteLater();
        if (!state->failure.isEmpty()) {
            done(networkError(QStringLiteral("%1: %2").arg(shown(url), state->failure)));
            return;
        }
        // An HTTP error status is said as such, not in Qt's longer transfer-error wording.
        const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const int status = statusAttribute.toInt();
        if (reply->error() != QNetworkReply::NoError && (!statusAttribute.isValid() || status == 200)) {
            done(networkError(QStringLiteral("%1: %2").arg(shown(url), reply->errorString())));
            return;
        }
        if (status != 200) {
            done(networkError(JwksFetcherText::tr("%1: the server answered HTTP %2").arg(shown(url)).arg(status)));
            return;
        }
        state->body += reply->read(maxBytes + 1 - state->body.size());
        if (state->body.size() > maxBytes) {
            done(networkError(JwksFetcherText::tr("%1: the document is larger than the limit of %2 bytes")
                                  .arg(shown(url))
                                  .arg(maxBytes)));
            return;
        }
        done(state->body);
    });
}

void JwksFetcher::fetch(const QUrl& url, Mode mode, std::function<void(Result<FetchedJwks>)> done)
{
    if (mode == Mode::JwksUrl) {
        fetchJwks(url, url, std::move(done));
        return;
    }
    const QUrl discovery = discoveryUrl(url);
    get(discovery, [this, url, discovery, done](Result<QByteArray> body) {
        if (!body) {
            done(body.error());
            return;
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(*body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            done(networkError(JwksFetcherText::tr("%1 is not a JSON object (offset %2: %3)")
                                  .arg(shown(discovery))
                                  .arg(parseError.offset)
                                  .arg(parseError.errorString())));
            return;
        }
        const QJsonObject configuration = document.object();
        // OpenID Connect Discovery 1.0 §4.3: the issuer in the document must be the one asked for, or a
        // different party could hand out keys in its name.
        const QString issuer = configuration.value(QStringLiteral("issuer")).toString();
        if (stripTrailingSlash(issuer) != stripTrailingSlash(url.toString())) {
            done(networkError(JwksFetcherText::tr("%1 names the issuer \"%2\", not \"%3\"")
                                  .arg(shown(discovery), issuer, url.toString())));
            return;
        }
        const QJsonValue jwksUri = configuration.value(QStringLiteral("jwks_uri"));
        if (!jwksUri.isString()) {
            done(networkError(JwksFetcherText::tr("%1 has no \"jwks_uri\" string").arg(shown(discovery))));
            return;
        }
        fetchJwks(url, QUrl(jwksUri.toString()), done);
    });
}

void JwksFetcher::fetchJwks(const QUrl& requested, const QUrl& jwksUrl, std::function<void(Result<FetchedJwks>)> done)
{
    get(jwksUrl, [requested, jwksUrl, done](Result<QByteArray> body) {
        if (!body) {
            done(body.error());
            return;
        }
        auto keys = importJwks(*body);
        if (!keys) {
            done(Error{keys.code(),
                       JwksFetcherText::tr("%1 is not a usable JWKS: %2").arg(shown(jwksUrl), keys.message())});
            return;
        }
        if (keys->empty()) {
            done(networkError(JwksFetcherText::tr("%1 holds no keys").arg(shown(jwksUrl))));
            return;
        }
        FetchedJwks fetched;
        fetched.requested = requested;
        fetched.jwksUrl = jwksUrl;
        fetched.fetched = QDateTime::currentDateTimeUtc();
        int position = 0;
        for (const Key& key : *keys) {
            ++position;
            if (key.type() == KeyType::Oct) {
                done(Error{ErrorCode::KeyInvalid,
                           JwksFetcherText::tr("%1: key %2 is an HMAC secret; a published key set "
                                               "must hold public keys only")
                               .arg(shown(jwksUrl))
                               .arg(position)});
                return;
            }
            Key publicKey = key.hasPrivate() ? key.publicOnly() : key;
            publicKey.metadata = key.metadata;
            publicKey.metadata.source = shown(jwksUrl);
            fetched.keys.push_back(std::move(publicKey));
        }
        done(std::move(fetched));
    });
}

} // namespace jwti
