// JWE interoperability with two independent implementations, jwcrypto (python3-jwcrypto 1.1) and node jose
// (tests/interop/node, jose 6.2.19): for every alg × enc pair both implement, a token we encrypt decrypts to the same
// bytes in them and one they encrypt decrypts with our decrypt; the token with one ciphertext byte changed fails in
// both. ECDH-ES also runs on P-384, P-521, X25519 and (jwcrypto only) X448; RSA1_5 only from jwcrypto to us.
// Keys are JWKs made by jwcrypto.
#include "ProcessRunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <memory>

namespace {

using Run = testsupport::ProcessRun;
using testsupport::interopPython;
using testsupport::runProcess;

// Bytes no text codec leaves alone: a NUL, a high byte, a line break.
const QByteArray kPlaintext("interop \x00\xff\n plaintext", 21);

// The key a JWE alg needs, as jwe_interop.py keygen names it.
QString keyKind(const QString& alg, const QString& enc, const QString& curve)
{
    if (alg.startsWith(QLatin1String("RSA")))
        return QStringLiteral("RSA");
    if (alg.startsWith(QLatin1String("ECDH-ES")))
        return curve;
    if (alg.startsWith(QLatin1String("PBES2")))
        return QStringLiteral("password");
    if (alg == QLatin1String("dir")) {
        const int bits = enc.mid(1, 3).toInt();
        return QStringLiteral("oct:%1").arg(enc.contains(QLatin1String("CBC")) ? bits / 4 : bits / 8);
    }
    return QStringLiteral("oct:%1").arg(alg.mid(1, 3).toInt() / 8);
}

QByteArray flipCiphertextByte(const QByteArray& token)
{
    QList<QByteArray> parts = token.split('.');
    if (parts.size() != 5)
        return token;
    QByteArray bytes = QByteArray::fromBase64(parts[3], QByteArray::Base64UrlEncoding);
    if (bytes.isEmpty())
        return token;
    bytes[0] = char(bytes[0] ^ 0x01);
    parts[3] = bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return parts.join('.');
}

// An interop script in its serve mode: started once, then asked one command a line (a JSON array of the arguments it
// takes on its command line) and answered one JSON object a line. Four hundred rows then pay for one interpreter
// start each, not three: the suite was the longest of the test run.
class ServedScript
{
public:
    ServedScript(const QString& program, const QStringList& arguments)
    {
        m_process.start(program, arguments);
        m_process.waitForStarted(10000);
    }
    ~ServedScript()
    {
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(10000))
            m_process.kill();
        m_process.waitForFinished(10000);
    }
    ServedScript(const ServedScript&) = delete;
    ServedScript& operator=(const ServedScript&) = delete;

    Run call(const QStringList& args)
    {
        Run run;
        m_process.write(QJsonDocument(QJsonArray::fromStringList(args)).toJson(QJsonDocument::Compact) + '\n');
        QElapsedTimer waited;
        waited.start();
        while (!m_process.canReadLine()) {
            if (m_process.state() != QProcess::Running || waited.hasExpired(120000)) {
                run.err = "the served script stopped or timed out: " + m_process.readAllStandardError();
                return run;
            }
            m_process.waitForReadyRead(1000);
        }
        const QJsonObject answer = QJsonDocument::fromJson(m_process.readLine()).object();
        run.exitCode = answer.value(QLatin1String("exit")).toInt(-1);
        run.out = answer.value(QLatin1String("out")).toString().toUtf8();
        run.err = answer.value(QLatin1String("err")).toString().toUtf8();
        return run;
    }

private:
    QProcess m_process;
};

} // namespace

class TestJweInterop : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void encryptedTokensDecryptAcrossImplementations_data();
    void encryptedTokensDecryptAcrossImplementations();
    void cleanupTestCase();

private:
    Run ours(const QStringList& args) const { return runProcess(m_binary, args); }
    Run theirs(const QString& lib, const QStringList& args)
    {
        std::unique_ptr<ServedScript>& served = m_served[lib];
        if (!served) {
            served = lib == QLatin1String("jwcrypto")
                ? std::make_unique<ServedScript>(m_python, QStringList{m_pythonScript, QStringLiteral("serve")})
                : std::make_unique<ServedScript>(m_node, QStringList{m_nodeScript, QStringLiteral("serve")});
        }
        return served->call(args);
    }
    // The JWK file for a key kind (made once), and our KEYSPEC for it.
    QString keyFile(const QString& kind);
    QStringList ourKeySpec(const QString& kind);

    QString m_binary;
    QString m_python;
    QString m_node;
    QString m_pythonScript;
    QString m_nodeScript;
    QTemporaryDir m_dir;
    QHash<QString, QString> m_keys;
    QHash<QString, int> m_passed; // "lib, direction" → rows passed
    std::map<QString, std::unique_ptr<ServedScript>> m_served; // "jwcrypto", "jose": started on first use
};

void TestJweInterop::initTestCase()
{
    m_binary = testsupport::jwtInspectorBinary();
    QVERIFY2(QFileInfo(m_binary).isExecutable(), "JWTI_BINARY is not set to the binary");
    m_python = interopPython();
    QVERIFY2(!m_python.isEmpty(), "python3 not found");
    m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
    QVERIFY2(!m_node.isEmpty(), "node not found (packaging/install-deps.sh test installs nodejs)");
    const QString source = qEnvironmentVariable("JWTI_SOURCE_DIR");
    m_pythonScript = testsupport::interopScript(QStringLiteral("jwe_interop.py"));
    m_nodeScript = testsupport::interopScript(QStringLiteral("jwe_interop.mjs"));
    QVERIFY(QFileInfo::exists(m_pythonScript) && QFileInfo::exists(m_nodeScript));
    QVERIFY2(QFileInfo::exists(source + QStringLiteral("/tests/interop/node/node_modules/jose/package.json")),
             "node jose is not installed: run packaging/install-deps.sh test (npm ci in tests/interop/node)");
    QVERIFY(m_dir.isValid());
}

QString TestJweInterop::keyFile(const QString& kind)
{
    if (m_keys.contains(kind))
        return m_keys.value(kind);
    const Run generated = runProcess(m_python, {m_pythonScript, QStringLiteral("keygen"), kind});
    if (generated.exitCode != 0) {
        qWarning("keygen %s failed: %s", qPrintable(kind), generated.err.constData());
        return {};
    }
    const QString path
        = m_dir.filePath(QString(kind).replace(QLatin1Char(':'), QLatin1Char('-')) + QStringLiteral(".jwk"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(generated.out.trimmed());
    file.close();
    m_keys.insert(kind, path);
    return path;
}

QStringList TestJweInterop::ourKeySpec(const QString& kind)
{
    const QString path = keyFile(kind);
    if (!kind.startsWith(QLatin1String("oct")) && kind != QLatin1String("password"))
        return {QStringLiteral("--key"), path};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString k = QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("k")).toString();
    if (kind.startsWith(QLatin1String("oct")))
        return {QStringLiteral("--secret-b64"), k};
    const QString passwordPath = path + QStringLiteral(".txt");
    QFile password(passwordPath);
    if (!password.open(QIODevice::WriteOnly))
        return {};
    password.write(QByteArray::fromBase64(k.toLatin1(), QByteArray::Base64UrlEncoding));
    return {QStringLiteral("--password-file"), passwordPath};
}

void TestJweInterop::encryptedTokensDecryptAcrossImplementations_data()
{
    QTest::addColumn<QString>("lib");
    QTest::addColumn<QString>("alg");
    QTest::addColumn<QString>("enc");
    QTest::addColumn<QString>("curve");
    QTest::addColumn<bool>("weEncrypt");
    const QStringList algs = {
        QStringLiteral("RSA-OAEP"),
        QStringLiteral("RSA-OAEP-256"),
        QStringLiteral("A128KW"),
        QStringLiteral("A192KW"),
        QStringLiteral("A256KW"),
        QStringLiteral("dir"),
        QStringLiteral("ECDH-ES"),
        QStringLiteral("ECDH-ES+A128KW"),
        QStringLiteral("ECDH-ES+A192KW"),
        QStringLiteral("ECDH-ES+A256KW"),
        QStringLiteral("A128GCMKW"),
        QStringLiteral("A192GCMKW"),
        QStringLiteral("A256GCMKW"),
        QStringLiteral("PBES2-HS256+A128KW"),
        QStringLiteral("PBES2-HS384+A192KW"),
        QStringLiteral("PBES2-HS512+A256KW"),
    };
    const QStringList encs
        = {QStringLiteral("A128CBC-HS256"), QStringLiteral("A192CBC-HS384"), QStringLiteral("A256CBC-HS512"),
           QStringLiteral("A128GCM"),       QStringLiteral("A192GCM"),       QStringLiteral("A256GCM")};
    for (const char* lib : {"jwcrypto", "jose"}) {
        for (bool weEncrypt : {true, false}) {
            const char* direction = weEncrypt ? "we encrypt, it decrypts" : "it encrypts, we decrypt";
            for (const QString& alg : algs) {
                for (const QString& enc : encs)
                    QTest::addRow("%s %s %s, %s", lib, qPrintable(alg), qPrintable(enc), direction)
                        << QString::fromLatin1(lib) << alg << enc << QStringLiteral("P-256") << weEncrypt;
            }
            // node jose 6 has no X448: that curve is jwcrypto's alone.
            const QStringList curves
                = {QStringLiteral("P-384"), QStringLiteral("P-521"), QStringLiteral("X25519"), QStringLiteral("X448")};
            for (const QString& curve : curves) {
                if (curve == QLatin1String("X448") && qstrcmp(lib, "jose") == 0)
                    continue;
                for (const char* alg : {"ECDH-ES", "ECDH-ES+A256KW"})
                    QTest::addRow("%s %s A128GCM on %s, %s", lib, alg, qPrintable(curve), direction)
                        << QString::fromLatin1(lib) << QString::fromLatin1(alg) << QStringLiteral("A128GCM") << curve
                        << weEncrypt;
            }
        }
    }
    // RSA1_5: jwcrypto still encrypts it (node jose 6 does not); we only decrypt it.
    for (const char* enc : {"A128CBC-HS256", "A256GCM"})
        QTest::addRow("jwcrypto RSA1_5 %s, it encrypts, we decrypt", enc)
            << QStringLiteral("jwcrypto") << QStringLiteral("RSA1_5") << QString::fromLatin1(enc) << QString() << false;
}

void TestJweInterop::encryptedTokensDecryptAcrossImplementations()
{
    QFETCH(QString, lib);
    QFETCH(QString, alg);
    QFETCH(QString, enc);
    QFETCH(QString, curve);
    QFETCH(bool, weEncrypt);
    const QString kind = keyKind(alg, enc, curve);
    const QString jwk = keyFile(kind);
    QVERIFY2(!jwk.isEmpty(), "jwcrypto's keygen failed");
    const QStringList keySpec = ourKeySpec(kind);
    QVERIFY(!keySpec.isEmpty());
    const QString plaintextHex = QString::fromLatin1(kPlaintext.toHex());

    if (weEncrypt) {
        const Run encrypted = ours(QStringList{QStringLiteral("encrypt")} + keySpec
                                   + QStringList{QStringLiteral("--alg"), alg, QStringLiteral("--enc"), enc,
                                                 QString::fromLatin1(kPlaintext.toPercentEncoding())});
        // The payload argument is text: percent-encoded here, so the bytes compared below are that text.
        QVERIFY2(encrypted.exitCode == 0, encrypted.err.constData());
        const QByteArray token = encrypted.out.trimmed();
        const Run decrypted = theirs(lib, {QStringLiteral("decrypt"), jwk, QString::fromLatin1(token)});
        QVERIFY2(decrypted.exitCode == 0, (decrypted.out + decrypted.err).constData());
        QCOMPARE(QByteArray::fromHex(decrypted.out.trimmed()), kPlaintext.toPercentEncoding());
        const Run refused
            = theirs(lib, {QStringLiteral("decrypt"), jwk, QString::fromLatin1(flipCiphertextByte(token))});
        QVERIFY2(refused.exitCode == 1, (refused.out + refused.err).constData());
        QVERIFY(refused.out.startsWith("invalid: "));
    } else {
        const Run encrypted = theirs(lib, {QStringLiteral("encrypt"), alg, enc, jwk, plaintextHex});
        QVERIFY2(encrypted.exitCode == 0, encrypted.err.constData());
        const QByteArray token = encrypted.out.trimmed();
        const Run decrypted
            = ours(QStringList{QStringLiteral("decrypt")} + keySpec + QStringList{QString::fromLatin1(token)});
        QVERIFY2(decrypted.exitCode == 0, (decrypted.out + decrypted.err).constData());
        QCOMPARE(decrypted.out, kPlaintext);
        const Run refused = ours(QStringList{QStringLiteral("decrypt")} + keySpec
                                 + QStringList{QString::fromLatin1(flipCiphertextByte(token))});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY(refused.out.startsWith("invalid: "));
        QVERIFY(!refused.out.contains("interop"));
    }
    ++m_passed[QStringLiteral("%1, %2").arg(lib,
                                            weEncrypt ? QStringLiteral("we encrypt") : QStringLiteral("it encrypts"))];
}

void TestJweInterop::cleanupTestCase()
{
    m_served.clear();
    QStringList rows;
    for (auto it = m_passed.cbegin(); it != m_passed.cend(); ++it)
        rows << QStringLiteral("%1: %2").arg(it.key()).arg(it.value());
    rows.sort();
    qInfo("JWE interop rows passed: %s", qPrintable(rows.join(QStringLiteral("; "))));
}

QTEST_GUILESS_MAIN(TestJweInterop)
#include "TestJweInterop.moc"
