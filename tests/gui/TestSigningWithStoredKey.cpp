// The signing editor signs with a key set's active key, loaded from a real (private) Secret Service, and puts that
// key's kid in the header; a rotation moves it to the new key; a locked keychain gives a clear message and no token.

#include "KeychainTestFixture.h"
#include "KeystoreTestSupport.h"
#include "core/jose/Jws.h"
#include "core/jose/Token.h"
#include "keystore/KeyStore.h"
#include "shell/Palette.h"
#include "sign/SigningEditor.h"
#include "verify/SecretInput.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace jwti;
using keystoretest::await;

namespace {

QString headerKid(const QString& token)
{
    return decodeUnverified(token).kid();
}

// Verifies the signature only: the claims are the editor's sample payload, not what this test is about.
VerifyResult verifySignature(const QString& token, const std::vector<Key>& keys)
{
    const auto parsed = parseStrict(token.toLatin1());
    if (!parsed.ok())
        return {};
    VerifyOptions options;
    options.checkClaims = false;
    return verifyToken(*parsed, keys, options);
}

} // namespace

class TestSigningWithStoredKey : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void offersTheActiveStoredKeyBeforeAnythingIsChosen();
    void offersOnlySetsWhoseActiveKeyServesTheAlg();
    void signsWithTheActiveKeyAndSetsItsKid();
    void signsWithAStoredHmacSecret();
    void followsARotationToTheNewActiveKey();
    void goingBackToATypedKeyDropsTheStoredOne();
    void lockedKeychainSaysSoAndSignsNothing();

private:
    Result<KeyRecord> addKey(const Key& key, const QString& set, const QString& kid);

    KeychainTestFixture m_keychain;
    std::unique_ptr<KeyStore> m_store;
    Key m_esKey;
    Key m_hmacKey;
};

void TestSigningWithStoredKey::initTestCase()
{
    QVERIFY2(m_keychain.start(), qPrintable(m_keychain.problem()));
    m_store = std::make_unique<KeyStore>();
    m_esKey = keystoretest::generate(QStringLiteral("ES256"));
    m_hmacKey = keystoretest::generate(QStringLiteral("HS256"));
    QVERIFY(addKey(m_esKey, QStringLiteral("api"), QStringLiteral("api-1")).ok());
    QVERIFY(addKey(m_hmacKey, QStringLiteral("internal"), QStringLiteral("internal-1")).ok());
}

Result<KeyRecord> TestSigningWithStoredKey::addKey(const Key& key, const QString& set, const QString& kid)
{
    NewKeyOptions options;
    options.keySet = set;
    options.kid = kid;
    options.name = set + QStringLiteral(" signer");
    return await<KeyRecord>([&](QObject* context, auto done) { m_store->add(key, options, context, done); });
}

void TestSigningWithStoredKey::offersTheActiveStoredKeyBeforeAnythingIsChosen()
{
    // Nothing chosen: the editor opens on a set's active key for its alg, not on an empty secret field, and says
    // nothing in red; the keychain is read only once the editor is shown.
    SigningEditor editor;
    auto* status = editor.findChild<QLabel*>(QStringLiteral("signStatus"));
    QVERIFY(status);
    QTRY_VERIFY(!editor.statusText().isEmpty());
    QVERIFY2(status->palette().color(QPalette::WindowText) != Palette::text(Palette::Role::Error),
             qPrintable(editor.statusText()));
    QVERIFY(!editor.statusText().startsWith(QLatin1String("Not signed")));

    QSignalSpy loaded(&editor, &SigningEditor::storedKeyLoaded);
    editor.setKeyStore(m_store.get());
    QCOMPARE(editor.alg(), QStringLiteral("HS256"));
    QCOMPARE(editor.storedKeySet(), QStringLiteral("internal"));
    QVERIFY(editor.headerText().contains(QLatin1String("\"kid\": \"internal-1\"")));
    QCOMPARE(loaded.count(), 0);
    QVERIFY(editor.signNow().isEmpty()); // not read yet: a hint, not an error
    QVERIFY2(status->palette().color(QPalette::WindowText) != Palette::text(Palette::Role::Error),
             qPrintable(editor.statusText()));
    editor.show();
    QVERIFY(loaded.wait(30000));
    QCOMPARE(loaded.last().at(0).toBool(), true);
    QVERIFY2(!editor.signNow().isEmpty(), qPrintable(editor.statusText()));

    // An alg the caller chose is kept, even when no stored set signs with it.
    SigningEditor other;
    other.setAlg(QStringLiteral("RS256"));
    other.setKeyStore(m_store.get());
    QCOMPARE(other.alg(), QStringLiteral("RS256")); // chosen by the caller: kept
    QVERIFY(other.storedKeySet().isEmpty());
}

void TestSigningWithStoredKey::offersOnlySetsWhoseActiveKeyServesTheAlg()
{
    SigningEditor editor;
    editor.setKeyStore(m_store.get());
    auto* sources = editor.findChild<QComboBox*>(QStringLiteral("signKeySource"));
    QVERIFY(sources);

    editor.setAlg(QStringLiteral("ES256"));
    QCOMPARE(sources->count(), 2);
    QCOMPARE(sources->itemData(1).toString(), QStringLiteral("api"));
    QVERIFY(!editor.useStoredKeySet(QStringLiteral("internal")));

    editor.setAlg(QStringLiteral("HS256"));
    QCOMPARE(sources->count(), 2);
    QCOMPARE(sources->itemData(1).toString(), QStringLiteral("internal"));

    // No set signs RS256 here: only the key typed or pasted in the editor.
    editor.setAlg(QStringLiteral("RS256"));
    QCOMPARE(sources->count(), 1);
    QVERIFY(editor.storedKeySet().isEmpty());
}

void TestSigningWithStoredKey::signsWithTheActiveKeyAndSetsItsKid()
{
    SigningEditor editor;
    editor.setKeyStore(m_store.get());
    editor.setAlg(QStringLiteral("ES256"));
    QSignalSpy loaded(&editor, &SigningEditor::storedKeyLoaded);
    QVERIFY(editor.useStoredKeySet(QStringLiteral("api")));
    QVERIFY(editor.headerText().contains(QLatin1String("\"kid\": \"api-1\"")));
    QVERIFY(loaded.wait(30000));
    QCOMPARE(loaded.last().at(0).toBool(), true);

    const QString token = editor.signNow();
    QVERIFY2(!token.isEmpty(), qPrintable(editor.statusText()));
    QCOMPARE(headerKid(token), QStringLiteral("api-1"));
    QVERIFY(editor.usesStoredKey());
    QVERIFY2(editor.statusText().contains(QLatin1String("api")), qPrintable(editor.statusText()));

    // The set's published public key verifies it: the private key really came from the keychain entry.
    const VerifyResult result = verifySignature(token, m_store->keySetPublicKeys(QStringLiteral("api")));
    QVERIFY2(result.valid, qPrintable(result.reason));
}

void TestSigningWithStoredKey::signsWithAStoredHmacSecret()
{
    SigningEditor editor;
    editor.setKeyStore(m_store.get());
    editor.setAlg(QStringLiteral("HS256"));
    QSignalSpy loaded(&editor, &SigningEditor::storedKeyLoaded);
    QVERIFY(editor.useStoredKeySet(QStringLiteral("internal")));
    QVERIFY(loaded.wait(30000));
    const QString token = editor.signNow();
    QVERIFY2(!token.isEmpty(), qPrintable(editor.statusText()));
    QCOMPARE(headerKid(token), QStringLiteral("internal-1"));
    // The secret never reaches the editor's own secret field (which the window may copy elsewhere).
    QVERIFY(editor.secretInput()->isEmpty());

    const VerifyResult result = verifySignature(token, {m_hmacKey});
    QVERIFY2(result.valid, qPrintable(result.reason));
}

void TestSigningWithStoredKey::followsARotationToTheNewActiveKey()
{
    SigningEditor editor;
    editor.setKeyStore(m_store.get());
    editor.setAlg(QStringLiteral("ES256"));
    QSignalSpy loaded(&editor, &SigningEditor::storedKeyLoaded);
    QVERIFY(editor.useStoredKeySet(QStringLiteral("api")));
    QVERIFY(loaded.wait(30000));

    const qsizetype loadsBefore = loaded.count();
    const Key next = keystoretest::generate(QStringLiteral("ES256"));
    NewKeyOptions options;
    options.kid = QStringLiteral("api-2");
    const auto rotated = await<KeyRecord>([&](QObject* context, auto done) {
        m_store->rotate(QStringLiteral("api"), next, QDateTime::currentDateTimeUtc().addDays(7), context, done,
                        options);
    });
    QVERIFY2(rotated.ok(), qPrintable(rotated.ok() ? QString() : rotated.message()));
    // The set stays chosen; its new active key is loaded and named in the header.
    QCOMPARE(editor.storedKeySet(), QStringLiteral("api"));
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > loadsBefore, 30000);
    const QString token = editor.signNow();
    QVERIFY2(!token.isEmpty(), qPrintable(editor.statusText()));
    QCOMPARE(headerKid(token), QStringLiteral("api-2"));
    QVERIFY(verifySignature(token, {next}).valid);
    QVERIFY(!verifySignature(token, {m_esKey}).valid);
}

void TestSigningWithStoredKey::goingBackToATypedKeyDropsTheStoredOne()
{
    SigningEditor editor;
    editor.setKeyStore(m_store.get());
    editor.setAlg(QStringLiteral("HS256"));
    QSignalSpy loaded(&editor, &SigningEditor::storedKeyLoaded);
    QVERIFY(editor.useStoredKeySet(QStringLiteral("internal")));
    QVERIFY(loaded.wait(30000));
    QVERIFY(!editor.signNow().isEmpty());

    QVERIFY(editor.useStoredKeySet(QString()));
    QVERIFY(editor.signNow().isEmpty());
    QVERIFY2(editor.statusText().contains(QLatin1String("Enter a secret")), qPrintable(editor.statusText()));
    QVERIFY(!editor.usesStoredKey());
}

// Last: it locks the private keyring for the rest of the process.
void TestSigningWithStoredKey::lockedKeychainSaysSoAndSignsNothing()
{
    SigningEditor editor;
    editor.setKeyStore(m_store.get());
    editor.setAlg(QStringLiteral("HS256"));
    QVERIFY(m_keychain.service().lockDefaultCollection());
    QSignalSpy loaded(&editor, &SigningEditor::storedKeyLoaded);
    QVERIFY(editor.useStoredKeySet(QStringLiteral("internal")));
    QVERIFY(loaded.wait(30000));
    QCOMPARE(loaded.last().at(0).toBool(), false);
    QVERIFY(editor.signNow().isEmpty());
    const QString status = editor.statusText();
    QVERIFY2(status.contains(QLatin1String("could not be loaded")) && status.contains(QLatin1String("locked")),
             qPrintable(status));
}

QTEST_MAIN(TestSigningWithStoredKey)
#include "TestSigningWithStoredKey.moc"
