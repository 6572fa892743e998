// Settings, About and the clipboard rules for secrets: preferences survive a restart and bad values in a hand-edited
// file fall back to safe ones; the window applies them at once; a copied secret leaves the clipboard after the
// configured time unless the user copied something else since; About names the libraries' versions.

#include "core/model/TokenDocument.h"
#include "shell/AboutDialog.h"
#include "shell/AppSettings.h"
#include "shell/MainWindow.h"
#include "shell/RecentMenus.h"
#include "shell/SettingsDialog.h"
#include "token/ClaimsTable.h"
#include "verify/SecretClipboard.h"
#include "verify/SecretInput.h"
#include "verify/VerifyPanel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace jwti;

class TestSettings : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void savedSettingsComeBackAfterARestart();
    void handEditedValuesFallBackToSafeOnes();
    void dialogShowsAndReturnsTheSettings();
    void windowAppliesSettingsAtOnce();
    void copiedSecretIsClearedAfterTheConfiguredTime();
    void somethingCopiedSinceIsLeftAlone();
    void clearingTurnedOffLeavesTheSecret();
    void recentFilesKeepPathsNewestFirstAndAtMostTen();
    void recentTokensAreOffByDefault();
    void aboutNamesQtOpenSslAndQtKeychainVersions();

private:
    QTemporaryDir m_config;
};

void TestSettings::initTestCase()
{
    QVERIFY(m_config.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("jwt-inspector-test"));
    QCoreApplication::setApplicationName(QStringLiteral("jwt-inspector-settings-test"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
}

void TestSettings::init()
{
    QSettings().clear();
}

void TestSettings::savedSettingsComeBackAfterARestart()
{
    AppSettings settings;
    settings.leewaySeconds = 90;
    settings.rsaBits = 4096;
    settings.ecCurve = QStringLiteral("P-384");
    settings.hmacBits = 512;
    settings.clipboardClearSeconds = 12;
    settings.liveRelativeTimes = false;
    settings.rememberRecentTokens = true;
    settings.save();
    QVERIFY(AppSettings::load() == settings);
}

void TestSettings::handEditedValuesFallBackToSafeOnes()
{
    QSettings raw;
    raw.setValue(QStringLiteral("keys/defaultRsaBits"), 1024); // below RFC 7518 §3.3's 2048
    raw.setValue(QStringLiteral("keys/defaultEcCurve"), QStringLiteral("secp112r1"));
    raw.setValue(QStringLiteral("keys/defaultHmacBits"), 64);
    raw.setValue(QStringLiteral("verify/leewaySeconds"), -5);
    raw.setValue(QStringLiteral("privacy/clipboardClearSeconds"), 999999);
    raw.sync();
    const AppSettings loaded = AppSettings::load();
    const AppSettings defaults;
    QCOMPARE(loaded.rsaBits, defaults.rsaBits);
    QCOMPARE(loaded.ecCurve, defaults.ecCurve);
    QCOMPARE(loaded.hmacBits, defaults.hmacBits);
    QCOMPARE(loaded.leewaySeconds, 0);
    QCOMPARE(loaded.clipboardClearSeconds, 3600);
    QVERIFY(!loaded.rememberRecentTokens);
}

void TestSettings::dialogShowsAndReturnsTheSettings()
{
    AppSettings settings;
    settings.leewaySeconds = 30;
    settings.rsaBits = 3072;
    SettingsDialog dialog(settings);
    QCOMPARE(dialog.findChild<QSpinBox*>(QStringLiteral("settingsLeeway"))->value(), 30);
    QCOMPARE(dialog.findChild<QComboBox*>(QStringLiteral("settingsRsaBits"))->currentData().toInt(), 3072);
    QVERIFY(dialog.settings() == settings);

    dialog.findChild<QSpinBox*>(QStringLiteral("settingsClipboardSeconds"))->setValue(0);
    dialog.findChild<QCheckBox*>(QStringLiteral("settingsRecentTokens"))->setChecked(true);
    auto* curve = dialog.findChild<QComboBox*>(QStringLiteral("settingsEcCurve"));
    curve->setCurrentIndex(curve->findData(QStringLiteral("P-521")));
    const AppSettings edited = dialog.settings();
    QCOMPARE(edited.clipboardClearSeconds, 0);
    QVERIFY(edited.rememberRecentTokens);
    QCOMPARE(edited.ecCurve, QStringLiteral("P-521"));
}

void TestSettings::windowAppliesSettingsAtOnce()
{
    MainWindow window(MainWindow::Options::NoSettings);
    auto* leeway = window.verifyPanel()->findChild<QSpinBox*>(QStringLiteral("verifyLeeway"));
    auto* claims = window.findChild<ClaimsTable*>();
    QVERIFY(leeway && claims);
    QVERIFY(claims->hasLiveTimes());

    AppSettings settings;
    settings.leewaySeconds = 45;
    settings.liveRelativeTimes = false;
    window.setSettings(settings);
    QCOMPARE(leeway->value(), 45);
    QCOMPARE(window.document()->verifyOptions().claims.leeway, qint64(45));
    QVERIFY(!claims->hasLiveTimes());
    // A test window (NoSettings) applies but never saves.
    QVERIFY(!QSettings().contains(QStringLiteral("verify/leewaySeconds")));
}

void TestSettings::copiedSecretIsClearedAfterTheConfiguredTime()
{
    QSettings().setValue(QStringLiteral("privacy/clipboardClearSeconds"), 1);
    SecretInput input(QStringLiteral("secret"), QStringLiteral("secret"));
    auto* copy = input.findChild<QToolButton*>(QStringLiteral("secretCopy"));
    QVERIFY(copy);
    QVERIFY(!copy->isEnabled());
    input.setSecret(QStringLiteral("a-secret-only-this-test-knows"), SecretEncoding::Text);
    QVERIFY(copy->isEnabled());
    copy->click();
    QClipboard* clipboard = QGuiApplication::clipboard();
    QCOMPARE(clipboard->text(), QStringLiteral("a-secret-only-this-test-knows"));
    QVERIFY(clipboard->mimeData()->hasFormat(QStringLiteral("x-kde-passwordManagerHint")));
    QVERIFY(SecretClipboard::instance().isClearPending());
    QTRY_VERIFY_WITH_TIMEOUT(clipboard->text().isEmpty(), 5000);
    QVERIFY(!SecretClipboard::instance().isClearPending());
}

void TestSettings::somethingCopiedSinceIsLeftAlone()
{
    SecretClipboard::instance().copy(QStringLiteral("secret-one"), 1);
    QGuiApplication::clipboard()->setText(QStringLiteral("the user's own text"));
    QTRY_VERIFY_WITH_TIMEOUT(!SecretClipboard::instance().isClearPending(), 5000);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("the user's own text"));
}

void TestSettings::clearingTurnedOffLeavesTheSecret()
{
    SecretClipboard::instance().copy(QStringLiteral("keep-me"), 0);
    // No clear is pending, so none can come: nothing to wait for, only queued events to let through.
    QVERIFY(!SecretClipboard::instance().isClearPending());
    QCoreApplication::processEvents();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("keep-me"));
    // Quitting would still clear it: the explicit clear is what aboutToQuit calls.
    QVERIFY(SecretClipboard::instance().clearNow());
    QVERIFY(QGuiApplication::clipboard()->text().isEmpty());
}

void TestSettings::recentFilesKeepPathsNewestFirstAndAtMostTen()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    TokenDocument document;
    RecentMenus menus(&document, true);
    QMenu file;
    menus.addTo(&file);
    QStringList paths;
    for (int i = 0; i < 12; ++i) {
        const QString path = folder.filePath(QStringLiteral("token-%1.jwt").arg(i));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("eyJhbGciOiJIUzI1NiJ9.e30.c2ln");
        out.close();
        menus.fileOpened(path);
        paths.prepend(path);
    }
    menus.fileOpened(paths.at(5)); // opened again: moves to the top
    const QStringList recent = AppSettings::recentFiles();
    QCOMPARE(recent.size(), AppSettings::kMaxRecentFiles);
    QCOMPARE(recent.front(), paths.at(5));
    QCOMPARE(recent.at(1), paths.at(0));
    // The settings file keeps names, never what the files hold.
    QSettings().sync();
    QFile settingsFile(QSettings().fileName());
    QVERIFY(settingsFile.open(QIODevice::ReadOnly));
    QVERIFY(!settingsFile.readAll().contains("eyJhbGciOiJIUzI1NiJ9"));

    auto* recentMenu = file.findChild<QMenu*>(QStringLiteral("menuRecentFiles"));
    QVERIFY(recentMenu);
    QVERIFY2(recentMenu->actions().first()->text().contains(QFileInfo(paths.at(5)).fileName()),
             qPrintable(recentMenu->actions().first()->text()));
    menus.clearRecentFiles();
    QVERIFY(AppSettings::recentFiles().isEmpty());
}

void TestSettings::recentTokensAreOffByDefault()
{
    MainWindow window(MainWindow::Options::NoSettings);
    QVERIFY(!window.settings().rememberRecentTokens);
    QVERIFY(!window.recentMenus()->remembersTokens());
    auto* tokens = window.findChild<QMenu*>(QStringLiteral("menuRecentTokens"));
    QVERIFY(tokens);
    QCOMPARE(tokens->actions().size(), 1);
    QVERIFY(!tokens->actions().first()->isEnabled());
}

void TestSettings::aboutNamesQtOpenSslAndQtKeychainVersions()
{
    const QString report = AboutDialog::versionReport();
    QVERIFY2(report.contains(QStringLiteral("Qt %1").arg(QString::fromLatin1(qVersion()))), qPrintable(report));
    QVERIFY2(report.contains(QLatin1String("OpenSSL 3.")), qPrintable(report));
    QVERIFY2(report.contains(QRegularExpression(QStringLiteral("QtKeychain \\d+\\.\\d+"))), qPrintable(report));
    AboutDialog dialog;
    QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("aboutVersions"))->text().contains(QLatin1String("OpenSSL")));
}

QTEST_MAIN(TestSettings)
#include "TestSettings.moc"
