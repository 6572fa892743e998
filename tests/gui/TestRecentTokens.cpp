// Recent tokens, when the user turns them on: kept in a real (private) Secret Service, never in the settings file;
// only clean tokens the user left unchanged are kept, samples never; turning the option off deletes the entry.

#include "KeychainTestFixture.h"
#include "KeystoreTestSupport.h"
#include "core/model/TokenDocument.h"
#include "keystore/KeychainClient.h"
#include "shell/RecentMenus.h"
#include "shell/RecentTokens.h"

#include <QFile>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace jwti;

namespace {

const QString kToken = QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyZWNlbnQtdG9rZW4tdGVzdCJ9.c2lnbmF0dXJlLWJ5dGVz");
const QString kOtherToken = QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvdGhlciJ9.b3RoZXItc2lnbmF0dXJl");

QStringList storedTokens()
{
    KeychainClient keychain;
    RecentTokens reader(&keychain);
    QSignalSpy changed(&reader, &RecentTokens::changed);
    reader.load();
    if (!changed.wait(30000))
        return {QStringLiteral("no answer from the keychain")};
    return reader.tokens();
}

} // namespace

class TestRecentTokens : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void keepsACleanTokenInTheKeychainOnly();
    void skipsMalformedTokensAndSamples();
    void turningItOffDeletesTheEntry();

private:
    KeychainTestFixture m_keychain;
    QTemporaryDir m_config;
};

void TestRecentTokens::initTestCase()
{
    QVERIFY2(m_keychain.start(), qPrintable(m_keychain.problem()));
    QVERIFY(m_config.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
}

void TestRecentTokens::keepsACleanTokenInTheKeychainOnly()
{
    TokenDocument document;
    RecentMenus menus(&document, true);
    QMenu file;
    menus.addTo(&file);
    menus.setRememberTokens(true);
    QSignalSpy saved(menus.tokens(), &RecentTokens::saved);
    document.setText(kToken);
    QVERIFY(saved.wait(RecentMenus::kSettleMs + 30000));
    QVERIFY2(menus.tokens()->lastError().isEmpty(), qPrintable(menus.tokens()->lastError()));
    QCOMPARE(menus.tokens()->tokens(), QStringList{kToken});
    QCOMPARE(storedTokens(), QStringList{kToken});

    // The menu shows a shortened form, never the whole token.
    auto* menu = file.findChild<QMenu*>(QStringLiteral("menuRecentTokens"));
    QVERIFY(menu);
    const QString label = menu->actions().first()->text();
    QVERIFY2(label.contains(QLatin1String("HS256")) && !label.contains(kToken), qPrintable(label));

    // Nothing of it in any file under the settings folder.
    QSettings().sync();
    const QStringList leaks = keystoretest::filesContaining(
        {m_config.path(), QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)},
        {kToken.toLatin1(), QByteArrayLiteral("cmVjZW50LXRva2VuLXRlc3Q")});
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(QLatin1Char(' '))));
}

void TestRecentTokens::skipsMalformedTokensAndSamples()
{
    TokenDocument document;
    RecentMenus menus(&document, true);
    menus.setRememberTokens(true);
    QSignalSpy changed(menus.tokens(), &RecentTokens::changed);
    QVERIFY(changed.wait(30000)); // the list as stored by the test before
    const QStringList before = menus.tokens()->tokens();

    // Each text stays long enough to be considered, and is not kept.
    QSignalSpy settled(&menus, &RecentMenus::tokenSettled);
    document.setText(QStringLiteral("eyJhbGciOi.not-a-token"));
    QVERIFY(settled.wait(RecentMenus::kSettleMs + 30000));
    QCOMPARE(settled.takeFirst().at(0).toBool(), false);
    menus.ignoreToken(kOtherToken);
    document.setText(kOtherToken);
    QVERIFY(settled.wait(RecentMenus::kSettleMs + 30000));
    QCOMPARE(settled.takeFirst().at(0).toBool(), false);
    QCOMPARE(menus.tokens()->tokens(), before);
}

void TestRecentTokens::turningItOffDeletesTheEntry()
{
    TokenDocument document;
    RecentMenus menus(&document, true);
    menus.setRememberTokens(true);
    QSignalSpy changed(menus.tokens(), &RecentTokens::changed);
    QVERIFY(changed.wait(30000));
    QVERIFY(!menus.tokens()->tokens().isEmpty());

    QSignalSpy saved(menus.tokens(), &RecentTokens::saved);
    menus.setRememberTokens(false);
    QVERIFY(menus.tokens()->tokens().isEmpty());
    QVERIFY(saved.wait(30000));
    QVERIFY2(menus.tokens()->lastError().isEmpty(), qPrintable(menus.tokens()->lastError()));
    QVERIFY(storedTokens().isEmpty());
}

QTEST_MAIN(TestRecentTokens)
#include "TestRecentTokens.moc"
