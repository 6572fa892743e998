// Fetching a remote JWKS, directly or through an OpenID issuer, against a loopback HTTP server: good documents,
// size and time limits, bad JSON, and redirects that would leave TLS or loopback.

#include "KeystoreTestSupport.h"
#include "LoopbackHttpServer.h"
#include "core/jose/Jwk.h"
#include "keystore/JwksFetcher.h"
#include "keystore/KeyStore.h"

#include <QDir>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace jwti;

class TestJwksFetcher : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void allowsHttpsAndLoopbackHttpOnly_data();
    void allowsHttpsAndLoopbackHttpOnly();
    void fetchesJwksWithKidsAndFetchTime();
    void fetchesThroughOpenIdDiscovery();
    void refusesDiscoveryDocumentForAnotherIssuer();
    void refusesDocumentsOverTheSizeLimit_data();
    void refusesDocumentsOverTheSizeLimit();
    void givesUpOnServerThatNeverAnswers();
    void refusesBadJsonAndHttpErrors_data();
    void refusesBadJsonAndHttpErrors();
    void refusesRedirectToPlainHttpElsewhere();
    void keepsFetchedKeysAsRemoteVerifyOnlyAndRefreshReplacesThem();

private:
    Result<FetchedJwks> fetch(const QUrl& url, JwksFetcher::Mode mode, const JwksFetchLimits& limits = {});

    LoopbackHttpServer m_server;
    QByteArray m_jwks;
    QTemporaryDir m_home; // this process's own HOME: the index of the last test lives there
};

void TestJwksFetcher::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("HOME", m_home.path().toUtf8());
    qputenv("XDG_DATA_HOME", (m_home.path() + QStringLiteral("/data")).toUtf8());
    QVERIFY(m_server.listen());
    Key first = keystoretest::generate(QStringLiteral("ES256"));
    Key second = keystoretest::generate(QStringLiteral("RS256"));
    QVERIFY(!first.isNull() && !second.isNull());
    first.metadata.kid = QStringLiteral("ec-2026");
    first.metadata.alg = QStringLiteral("ES256");
    second.metadata.kid = QStringLiteral("rsa-2026");
    m_jwks = exportJwks({first.publicOnly(), second.publicOnly()});
    m_server.route(QStringLiteral("/jwks.json"), {200, m_jwks, "application/json", {}, {}});
}

Result<FetchedJwks> TestJwksFetcher::fetch(const QUrl& url, JwksFetcher::Mode mode, const JwksFetchLimits& limits)
{
    JwksFetcher fetcher;
    fetcher.setLimits(limits);
    return keystoretest::await<FetchedJwks>([&](QObject*, auto done) { fetcher.fetch(url, mode, done); }, 30000);
}

void TestJwksFetcher::allowsHttpsAndLoopbackHttpOnly_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("https") << QStringLiteral("https://issuer.example/jwks") << true;
    QTest::newRow("http to 127.0.0.1") << QStringLiteral("http://127.0.0.1:8080/jwks") << true;
    QTest::newRow("http to 127.5.6.7") << QStringLiteral("http://127.5.6.7/jwks") << true;
    QTest::newRow("http to [::1]") << QStringLiteral("http://[::1]:9000/jwks") << true;
    QTest::newRow("http to localhost") << QStringLiteral("http://localhost/jwks") << true;
    QTest::newRow("http elsewhere") << QStringLiteral("http://issuer.example/jwks") << false;
    QTest::newRow("http to a LAN address") << QStringLiteral("http://192.168.1.5/jwks") << false;
    QTest::newRow("ftp") << QStringLiteral("ftp://issuer.example/jwks") << false;
    QTest::newRow("file") << QStringLiteral("file:///etc/passwd") << false;
    QTest::newRow("user info") << QStringLiteral("https://user:pw@issuer.example/jwks") << false;
}

void TestJwksFetcher::allowsHttpsAndLoopbackHttpOnly()
{
    QFETCH(QString, url);
    QFETCH(bool, allowed);
    QCOMPARE(JwksFetcher::checkUrl(QUrl(url)).ok(), allowed);
}

void TestJwksFetcher::fetchesJwksWithKidsAndFetchTime()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    const auto fetched = fetch(m_server.url(QStringLiteral("/jwks.json")), JwksFetcher::Mode::JwksUrl);
    QVERIFY2(fetched.ok(), qPrintable(fetched.ok() ? QString() : fetched.message()));
    QCOMPARE(fetched->keys.size(), std::size_t(2));
    QCOMPARE(fetched->keys.at(0).metadata.kid, QStringLiteral("ec-2026"));
    QCOMPARE(fetched->keys.at(1).metadata.kid, QStringLiteral("rsa-2026"));
    QVERIFY(!fetched->keys.at(0).hasPrivate());
    QVERIFY(fetched->fetched >= before);
}

void TestJwksFetcher::fetchesThroughOpenIdDiscovery()
{
    const QUrl issuer = m_server.url(QStringLiteral("/tenant"));
    const QByteArray configuration = QStringLiteral("{\"issuer\": \"%1\", \"jwks_uri\": \"%2\"}")
                                         .arg(issuer.toString(), m_server.url(QStringLiteral("/jwks.json")).toString())
                                         .toUtf8();
    m_server.route(QStringLiteral("/tenant/.well-known/openid-configuration"),
                   {200, configuration, "application/json", {}, {}});
    const auto fetched = fetch(issuer, JwksFetcher::Mode::Issuer);
    QVERIFY2(fetched.ok(), qPrintable(fetched.ok() ? QString() : fetched.message()));
    QCOMPARE(fetched->keys.size(), std::size_t(2));
    QCOMPARE(fetched->jwksUrl, m_server.url(QStringLiteral("/jwks.json")));
    QCOMPARE(fetched->requested, issuer);
}

void TestJwksFetcher::refusesDiscoveryDocumentForAnotherIssuer()
{
    const QByteArray configuration = QStringLiteral("{\"issuer\": \"https://evil.example\", \"jwks_uri\": \"%1\"}")
                                         .arg(m_server.url(QStringLiteral("/jwks.json")).toString())
                                         .toUtf8();
    m_server.route(QStringLiteral("/other/.well-known/openid-configuration"),
                   {200, configuration, "application/json", {}, {}});
    const auto fetched = fetch(m_server.url(QStringLiteral("/other")), JwksFetcher::Mode::Issuer);
    QVERIFY(!fetched.ok());
    QVERIFY2(fetched.message().contains(QLatin1String("names the issuer")), qPrintable(fetched.message()));
}

void TestJwksFetcher::refusesDocumentsOverTheSizeLimit_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("Content-Length says too big") << QStringLiteral("/big.json");
    QTest::newRow("no length, endless body") << QStringLiteral("/endless.json");
}

void TestJwksFetcher::refusesDocumentsOverTheSizeLimit()
{
    QFETCH(QString, path);
    m_server.route(QStringLiteral("/big.json"),
                   {200, QByteArray(300 * 1024, ' ') + m_jwks, "application/json", {}, {}});
    LoopbackHttpServer::Route endless;
    endless.behaviour = LoopbackHttpServer::Behaviour::EndlessBody;
    m_server.route(QStringLiteral("/endless.json"), endless);
    JwksFetchLimits limits;
    limits.maxBytes = 256 * 1024;
    const auto fetched = fetch(m_server.url(path), JwksFetcher::Mode::JwksUrl, limits);
    QVERIFY(!fetched.ok());
    QCOMPARE(fetched.code(), ErrorCode::Network);
    QVERIFY2(fetched.message().contains(QLatin1String("limit")), qPrintable(fetched.message()));
}

void TestJwksFetcher::givesUpOnServerThatNeverAnswers()
{
    LoopbackHttpServer::Route silent;
    silent.behaviour = LoopbackHttpServer::Behaviour::NeverAnswer;
    m_server.route(QStringLiteral("/silent.json"), silent);
    JwksFetchLimits limits;
    limits.timeout = std::chrono::milliseconds(300);
    const auto fetched = fetch(m_server.url(QStringLiteral("/silent.json")), JwksFetcher::Mode::JwksUrl, limits);
    QVERIFY(!fetched.ok());
    QVERIFY2(fetched.message().contains(QLatin1String("no complete answer within")), qPrintable(fetched.message()));
}

void TestJwksFetcher::refusesBadJsonAndHttpErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("truncated JSON") << 200 << QByteArray("{\"keys\": [") << QStringLiteral("not a usable JWKS");
    QTest::newRow("not an object") << 200 << QByteArray("[1, 2]") << QStringLiteral("not a usable JWKS");
    QTest::newRow("empty key list") << 200 << QByteArray("{\"keys\": []}") << QStringLiteral("no keys");
    QTest::newRow("an HMAC secret")
        << 200
        << QByteArray("{\"keys\": [{\"kty\": \"oct\", \"k\": \"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA\"}]}")
        << QStringLiteral("HMAC secret");
    QTest::newRow("HTTP 500") << 500 << QByteArray("{}") << QStringLiteral("HTTP 500");
}

void TestJwksFetcher::refusesBadJsonAndHttpErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    m_server.route(QStringLiteral("/bad.json"), {status, body, "application/json", {}, {}});
    const auto fetched = fetch(m_server.url(QStringLiteral("/bad.json")), JwksFetcher::Mode::JwksUrl);
    QVERIFY(!fetched.ok());
    QVERIFY2(fetched.message().contains(expected), qPrintable(fetched.message()));
}

void TestJwksFetcher::refusesRedirectToPlainHttpElsewhere()
{
    m_server.route(QStringLiteral("/moved.json"), {302, {}, "text/plain", "http://issuer.example/jwks.json", {}});
    const auto fetched = fetch(m_server.url(QStringLiteral("/moved.json")), JwksFetcher::Mode::JwksUrl);
    QVERIFY(!fetched.ok());
    QVERIFY2(fetched.message().contains(QLatin1String("redirect to http://issuer.example/jwks.json refused")),
             qPrintable(fetched.message()));

    // A redirect that stays on loopback is followed.
    m_server.route(QStringLiteral("/local-move.json"),
                   {302, {}, "text/plain", m_server.url(QStringLiteral("/jwks.json")).toString().toUtf8(), {}});
    QVERIFY(fetch(m_server.url(QStringLiteral("/local-move.json")), JwksFetcher::Mode::JwksUrl).ok());
}

void TestJwksFetcher::keepsFetchedKeysAsRemoteVerifyOnlyAndRefreshReplacesThem()
{
    QCoreApplication::setApplicationName(QStringLiteral("jwt-inspector"));
    QStandardPaths::setTestModeEnabled(true);
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
    const QUrl url = m_server.url(QStringLiteral("/jwks.json"));
    const auto fetched = fetch(url, JwksFetcher::Mode::JwksUrl);
    QVERIFY(fetched.ok());
    KeyStore store;
    RemoteKeySet remote{url.toString(), url.toString(), QStringLiteral("partner"), fetched->fetched, fetched->keys};
    const auto added = store.addRemote(remote);
    QVERIFY2(added.ok(), qPrintable(added.ok() ? QString() : added.message()));
    QCOMPARE(added->size(), std::size_t(2));
    for (const KeyRecord& record : store.records()) {
        QVERIFY(record.remote);
        QCOMPARE(record.status, KeyStatus::VerifyOnly);
        QVERIFY(!record.hasSecret);
        QCOMPARE(record.source, url.toString());
        QCOMPARE(record.keySet, QStringLiteral("partner"));
    }
    // A refresh replaces what came from the same source rather than piling up copies.
    QVERIFY(store.addRemote(remote).ok());
    QCOMPARE(store.records().size(), std::size_t(2));
}

QTEST_GUILESS_MAIN(TestJwksFetcher)
#include "TestJwksFetcher.moc"
