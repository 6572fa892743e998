// Interoperability with two independent JOSE implementations, PyJWT (python3-jwt 2.6) and jwcrypto
// (python3-jwcrypto 1.1): keys made by our keygen (PEM; HMAC as an oct JWK), tokens signed by us verify in them and
// tokens signed by them verify with our verify; a token with one payload character changed fails in both.
#include "ProcessRunner.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

using Run = testsupport::ProcessRun;
using testsupport::interopPython;
using testsupport::runProcess;

const QByteArray kPayload = "{\"sub\":\"interop\",\"n\":42}";

// The token with one character of its payload changed ("interop" → "Interop").
QByteArray tampered(const QByteArray& token)
{
    QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return token;
    QByteArray payload = QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding);
    const qsizetype at = payload.indexOf("interop");
    if (at < 0)
        return token;
    payload[at] = 'I';
    parts[1] = payload.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return parts.join('.');
}

} // namespace

class TestInterop : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void signedTokensVerifyAcrossImplementations_data();
    void signedTokensVerifyAcrossImplementations();

private:
    Run ours(const QStringList& args) const { return runProcess(m_binary, args); }
    Run script(const QStringList& args) const { return runProcess(m_python, QStringList{m_script} + args); }
    // Generates (once) a key for keygenAlg; returns {private file, public file}.
    std::pair<QString, QString> keyFiles(const QString& keygenAlg);

    QString m_binary;
    QString m_python;
    QString m_script;
    QTemporaryDir m_dir;
    QHash<QString, std::pair<QString, QString>> m_keys;
    QHash<QString, bool> m_supported; // "lib/alg" → whether lib implements alg
};

void TestInterop::initTestCase()
{
    m_binary = testsupport::jwtInspectorBinary();
    QVERIFY2(QFileInfo(m_binary).isExecutable(), "JWTI_BINARY is not set to the binary");
    m_python = interopPython();
    QVERIFY2(!m_python.isEmpty(), "python3 not found");
    m_script = testsupport::interopScript(QStringLiteral("jose_interop.py"));
    QVERIFY2(QFileInfo::exists(m_script), qPrintable(m_script));
    QVERIFY(m_dir.isValid());
    for (const char* lib : {"pyjwt", "jwcrypto"}) {
        const Run probe = script({QStringLiteral("supports"), QString::fromLatin1(lib), QStringLiteral("HS256")});
        QVERIFY2(probe.exitCode == 0,
                 qPrintable(QStringLiteral("%1 is not usable from %2: %3")
                                .arg(QString::fromLatin1(lib), m_python, QString::fromUtf8(probe.err))));
    }
}

std::pair<QString, QString> TestInterop::keyFiles(const QString& keygenAlg)
{
    if (m_keys.contains(keygenAlg))
        return m_keys.value(keygenAlg);
    const bool hmac = keygenAlg.startsWith(QLatin1String("HS"));
    const QString privatePath = m_dir.filePath(keygenAlg + (hmac ? QStringLiteral(".jwk") : QStringLiteral(".pem")));
    const QString publicPath = hmac ? privatePath : m_dir.filePath(keygenAlg + QStringLiteral(".pub.pem"));
    QStringList args
        = {QStringLiteral("keygen"), QStringLiteral("--alg"), keygenAlg, QStringLiteral("--out"), privatePath};
    if (!hmac)
        args << QStringLiteral("--public-out") << publicPath;
    const Run generated = ours(args);
    if (generated.exitCode != 0) {
        qWarning("keygen %s failed: %s", qPrintable(keygenAlg), generated.err.constData());
        return {};
    }
    m_keys.insert(keygenAlg, {privatePath, publicPath});
    return {privatePath, publicPath};
}

void TestInterop::signedTokensVerifyAcrossImplementations_data()
{
    QTest::addColumn<QString>("lib");
    QTest::addColumn<QString>("alg"); // the JWS alg
    QTest::addColumn<QString>("keygenAlg"); // what our keygen is asked for (EdDSA covers Ed25519 and Ed448)
    QTest::addColumn<bool>("weSign");
    struct Row
    {
        const char* alg;
        const char* keygenAlg;
        const char* label;
    };
    const Row rows[] = {
        {"HS256", "HS256", "HS256"},    {"HS384", "HS384", "HS384"},         {"HS512", "HS512", "HS512"},
        {"RS256", "RS256", "RS256"},    {"RS384", "RS384", "RS384"},         {"RS512", "RS512", "RS512"},
        {"PS256", "PS256", "PS256"},    {"PS384", "PS384", "PS384"},         {"PS512", "PS512", "PS512"},
        {"ES256", "ES256", "ES256"},    {"ES384", "ES384", "ES384"},         {"ES512", "ES512", "ES512"},
        {"ES256K", "ES256K", "ES256K"}, {"EdDSA", "EdDSA", "EdDSA Ed25519"}, {"EdDSA", "Ed448", "EdDSA Ed448"},
    };
    for (const char* lib : {"pyjwt", "jwcrypto"}) {
        for (const Row& row : rows) {
            for (bool weSign : {true, false}) {
                QTest::addRow("%s %s, %s", lib, row.label, weSign ? "we sign, it verifies" : "it signs, we verify")
                    << QString::fromLatin1(lib) << QString::fromLatin1(row.alg) << QString::fromLatin1(row.keygenAlg)
                    << weSign;
            }
        }
    }
}

void TestInterop::signedTokensVerifyAcrossImplementations()
{
    QFETCH(QString, lib);
    QFETCH(QString, alg);
    QFETCH(QString, keygenAlg);
    QFETCH(bool, weSign);
    const QString support = lib + QLatin1Char('/') + alg;
    if (!m_supported.contains(support))
        m_supported.insert(support, script({QStringLiteral("supports"), lib, alg}).exitCode == 0);
    if (!m_supported.value(support))
        QSKIP(qPrintable(QStringLiteral("%1 here does not implement %2").arg(lib, alg)));
    const auto [privatePath, publicPath] = keyFiles(keygenAlg);
    QVERIFY2(!privatePath.isEmpty(), "our keygen failed");

    if (weSign) {
        const Run signed_ = ours({QStringLiteral("sign"), QStringLiteral("--key"), privatePath, QStringLiteral("--alg"),
                                  alg, QString::fromLatin1(kPayload)});
        QVERIFY2(signed_.exitCode == 0, signed_.err.constData());
        const QByteArray token = signed_.out.trimmed();
        const Run verified = script({QStringLiteral("verify"), lib, alg, publicPath, QString::fromLatin1(token)});
        QVERIFY2(verified.exitCode == 0, (verified.out + verified.err).constData());
        QCOMPARE(verified.out.trimmed(), QByteArray("valid"));
        const Run refused
            = script({QStringLiteral("verify"), lib, alg, publicPath, QString::fromLatin1(tampered(token))});
        QVERIFY2(refused.exitCode == 1, (refused.out + refused.err).constData());
        QVERIFY(refused.out.startsWith("invalid: "));
    } else {
        const Run signed_ = script({QStringLiteral("sign"), lib, alg, privatePath, QString::fromLatin1(kPayload)});
        QVERIFY2(signed_.exitCode == 0, signed_.err.constData());
        const QByteArray token = signed_.out.trimmed();
        QVERIFY(tampered(token) != token);
        const Run verified = ours({QStringLiteral("verify"), QStringLiteral("--key"), publicPath,
                                   QStringLiteral("--alg"), alg, QString::fromLatin1(token)});
        QVERIFY2(verified.exitCode == 0, (verified.out + verified.err).constData());
        QVERIFY(verified.out.trimmed().endsWith("\nvalid"));
        const Run refused = ours({QStringLiteral("verify"), QStringLiteral("--key"), publicPath,
                                  QStringLiteral("--alg"), alg, QString::fromLatin1(tampered(token))});
        QCOMPARE(refused.exitCode, 1);
        // verify prints the verdict (headline, checks) first; the last line is the answer scripts read.
        QVERIFY2(refused.out.trimmed().split('\n').last().startsWith("invalid: "), refused.out.constData());
    }
}

QTEST_GUILESS_MAIN(TestInterop)
#include "TestInterop.moc"
