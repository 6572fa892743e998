// The window from the keyboard and through a screen reader: Alt + an underlined letter reaches one thing only, in
// every state of the window; shortcuts put the cursor where their words say; Esc closes every dialog and tool
// window; every interactive widget has a name; labels whose text changes say that text; Tab moves in reading order.

#include "KeychainTestFixture.h"
#include "core/jose/Jwe.h"
#include "core/jose/Jws.h"
#include "core/model/TokenDocument.h"
#include "decrypt/DecryptPanel.h"
#include "keys/KeyImportDialog.h"
#include "keys/KeyManagerWindow.h"
#include "keys/KeyWizard.h"
#include "keys/RemoteJwksDialog.h"
#include "keystore/KeyStore.h"
#include "shell/MainWindow.h"
#include "shell/SampleTokens.h"
#include "shell/SettingsDialog.h"
#include "sign/SigningEditor.h"
#include "teach/GuidedTour.h"
#include "verify/KeyInput.h"
#include "verify/SecretInput.h"
#include "verify/VerifyPanel.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QTextEdit>

using namespace jwti;

namespace {

// The letter after a single '&' ("&&" is a literal ampersand), lower-cased; null when there is none.
QChar mnemonicOf(const QString& text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != QLatin1Char('&'))
            continue;
        if (text.at(i + 1) == QLatin1Char('&')) {
            ++i;
            continue;
        }
        return text.at(i + 1).toLower();
    }
    return {};
}

// Every Alt+letter the window answers to right now, with who answers: menu titles, tab titles, buttons and labels
// that lead to a buddy. Hidden widgets do not answer, so only what is visible counts.
QMultiMap<QChar, QString> windowMnemonics(QWidget* window)
{
    QMultiMap<QChar, QString> owners;
    auto add = [&](const QString& text, const QString& owner) {
        const QChar letter = mnemonicOf(text);
        if (!letter.isNull())
            owners.insert(letter, owner + QStringLiteral(" \"") + text + QLatin1Char('"'));
    };
    if (auto* mainWindow = qobject_cast<QMainWindow*>(window)) {
        for (QAction* action : mainWindow->menuBar()->actions())
            add(action->text(), QStringLiteral("menu"));
    }
    for (QTabBar* bar : window->findChildren<QTabBar*>()) {
        if (!bar->isVisible())
            continue;
        for (int i = 0; i < bar->count(); ++i)
            add(bar->tabText(i), QStringLiteral("tab"));
    }
    for (QAbstractButton* button : window->findChildren<QAbstractButton*>()) {
        if (button->isVisible())
            add(button->text(), button->objectName().isEmpty() ? QStringLiteral("button") : button->objectName());
    }
    for (QLabel* label : window->findChildren<QLabel*>()) {
        if (label->isVisible() && label->buddy())
            add(label->text(), QStringLiteral("label for ") + label->buddy()->objectName());
    }
    return owners;
}

QStringList duplicates(const QMultiMap<QChar, QString>& owners)
{
    QStringList found;
    for (const QChar letter : owners.uniqueKeys()) {
        const QStringList who = owners.values(letter);
        if (who.size() > 1)
            found << QStringLiteral("Alt+%1: %2").arg(letter.toUpper(), who.join(QStringLiteral(", ")));
    }
    return found;
}

QString accessibleName(QWidget* widget)
{
    QAccessibleInterface* accessible = QAccessible::queryAccessibleInterface(widget);
    return accessible ? accessible->text(QAccessible::Name) : QString();
}

// Widgets a person can act on, visible now.
QList<QWidget*> interactiveWidgets(QWidget* window)
{
    QList<QWidget*> found;
    for (QWidget* widget : window->findChildren<QWidget*>()) {
        if (!widget->isVisible() || widget->parentWidget() == nullptr)
            continue;
        // A combo box's or spin box's inner line edit speaks through its owner.
        if (qobject_cast<QLineEdit*>(widget)
            && (qobject_cast<QComboBox*>(widget->parentWidget())
                || qobject_cast<QAbstractSpinBox*>(widget->parentWidget())))
            continue;
        if (qobject_cast<QAbstractButton*>(widget) || qobject_cast<QLineEdit*>(widget)
            || qobject_cast<QComboBox*>(widget) || qobject_cast<QAbstractSpinBox*>(widget)
            || qobject_cast<QPlainTextEdit*>(widget) || qobject_cast<QTextEdit*>(widget)
            || qobject_cast<QAbstractItemView*>(widget))
            found << widget;
    }
    return found;
}

} // namespace

class TestKeyboardAccess : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void mnemonicsAreUniqueInEveryStateOfTheWindow();
    void mnemonicsAreUniqueWithAJweOpen();
    void menuItemsHaveUniqueMnemonicsWithinEachMenu();
    void altVAndAltKBelongToTheirMenus();
    void verifyShortcutPutsTheCursorInTheKeyBox_data();
    void verifyShortcutPutsTheCursorInTheKeyBox();
    void escapeClosesEveryDialogAndToolWindow();
    void everyInteractiveWidgetHasAName();
    void changingLabelsSayTheirText();
    void verdictIsTheFirstThingReadInTheVerifyPanel();
    void tabMovesInReadingOrder();

private:
    void waitForSample(MainWindow& window, const QString& name);

    KeychainTestFixture m_keychain;
    KeyStore* m_store = nullptr;
};

void TestKeyboardAccess::initTestCase()
{
    QVERIFY2(m_keychain.start(), qPrintable(m_keychain.problem()));
    m_store = new KeyStore(this);
}

void TestKeyboardAccess::cleanup()
{
    for (QWidget* widget : QApplication::topLevelWidgets())
        widget->close();
}

void TestKeyboardAccess::waitForSample(MainWindow& window, const QString& name)
{
    window.loadSample(name);
    QTRY_VERIFY(!window.isLoadingSample());
    QTRY_VERIFY(!window.document()->text().isEmpty());
}

void TestKeyboardAccess::mnemonicsAreUniqueInEveryStateOfTheWindow()
{
    MainWindow window(MainWindow::Options::NoSettings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* sideTabs = window.findChild<QTabWidget*>(QStringLiteral("sideTabs"));
    QVERIFY(sideTabs);
    QStringList problems;
    auto check = [&](const QString& state) {
        for (const QString& duplicate : duplicates(windowMnemonics(&window)))
            problems << state + QStringLiteral(": ") + duplicate;
    };
    for (const bool tour : {false, true}) {
        if (tour) {
            window.showGuidedTour();
            QTRY_VERIFY(window.guidedTour()->isSampleReady());
        } else {
            window.loadToken(QString());
        }
        for (int side = 0; side < sideTabs->count(); ++side) {
            sideTabs->setCurrentIndex(side);
            if (!tour) {
                window.loadToken(QString());
                check(QStringLiteral("no token, side tab %1").arg(side));
                waitForSample(window, QStringLiteral("RS256"));
            }
            for (int tab = 0; tab <= int(MainWindow::DetailTab::Lessons); ++tab) {
                window.showDetailTab(MainWindow::DetailTab(tab));
                check(QStringLiteral("%1side tab %2, detail tab %3")
                          .arg(tour ? QStringLiteral("tour, ") : QString())
                          .arg(side)
                          .arg(tab));
            }
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

// The JWE states: encrypted and not decrypted, decrypted with the plaintext and the inner token's verdict shown,
// and the inner token opened with its way back.
void TestKeyboardAccess::mnemonicsAreUniqueWithAJweOpen()
{
    MainWindow window(MainWindow::Options::NoSettings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* sideTabs = window.findChild<QTabWidget*>(QStringLiteral("sideTabs"));
    QStringList problems;
    auto checkEveryTab = [&](const QString& state) {
        for (int side = 0; side < sideTabs->count(); ++side) {
            sideTabs->setCurrentIndex(side);
            for (int tab = 0; tab <= int(MainWindow::DetailTab::Lessons); ++tab) {
                window.showDetailTab(MainWindow::DetailTab(tab));
                for (const QString& duplicate : duplicates(windowMnemonics(&window)))
                    problems << QStringLiteral("%1, side tab %2, detail tab %3: %4")
                                    .arg(state)
                                    .arg(side)
                                    .arg(tab)
                                    .arg(duplicate);
            }
        }
    };
    SignOptions sign;
    sign.alg = QStringLiteral("HS256");
    const QByteArray inner = signToken("{}", Key::fromSecret(SecretBytes(QByteArray(32, 's'))), sign).value();
    const QByteArray dir(32, 'd');
    JweEncryptOptions options;
    options.alg = QStringLiteral("dir");
    options.enc = QStringLiteral("A256GCM");
    options.cty = QStringLiteral("JWT");
    window.loadToken(QString::fromLatin1(encryptJwe(inner, Key::fromSecret(SecretBytes(dir)), options).value()));
    checkEveryTab(QStringLiteral("JWE, no key"));
    window.decryptPanel()->setKeyKind(DecryptPanel::KeyKind::Secret);
    window.decryptPanel()->secretInput()->setSecret(QString::fromLatin1(dir.toHex()), SecretEncoding::Hex);
    QTRY_VERIFY(window.decryptPanel()->verdict().isDecrypted());
    checkEveryTab(QStringLiteral("JWE decrypted"));
    window.showDecrypt();
    window.findChild<QPushButton*>(QStringLiteral("decryptOpenInner"))->click();
    QTRY_VERIFY(window.findChild<QWidget*>(QStringLiteral("innerTokenBanner"))->isVisible());
    checkEveryTab(QStringLiteral("inner token open"));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestKeyboardAccess::menuItemsHaveUniqueMnemonicsWithinEachMenu()
{
    MainWindow window(MainWindow::Options::NoSettings);
    QStringList problems;
    for (QMenu* menu : window.findChildren<QMenu*>()) {
        QMultiMap<QChar, QString> owners;
        for (QAction* action : menu->actions()) {
            const QChar letter = mnemonicOf(action->text());
            if (!letter.isNull())
                owners.insert(letter, action->text());
            else if (!action->isSeparator() && !action->text().isEmpty()
                     && menu->objectName() != QLatin1String("menuSamples")
                     && !action->objectName().startsWith(QLatin1String("actionShowTab")) && action->menu() == nullptr
                     && !action->objectName().isEmpty())
                problems << QStringLiteral("%1: \"%2\" has no mnemonic").arg(menu->title(), action->text());
        }
        for (const QString& duplicate : duplicates(owners))
            problems << menu->title() + QStringLiteral(": ") + duplicate;
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestKeyboardAccess::altVAndAltKBelongToTheirMenus()
{
    // The letters the issue found taken: with a token and the verify panel showing, V and K open View and Keys.
    MainWindow window(MainWindow::Options::NoSettings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForSample(window, QStringLiteral("HS256"));
    const QMultiMap<QChar, QString> owners = windowMnemonics(&window);
    QCOMPARE(owners.values(QLatin1Char('v')), QStringList{QStringLiteral("menu \"&View\"")});
    QCOMPARE(owners.values(QLatin1Char('k')), QStringList{QStringLiteral("menu \"&Keys\"")});
}

void TestKeyboardAccess::verifyShortcutPutsTheCursorInTheKeyBox_data()
{
    QTest::addColumn<QString>("sample");
    QTest::addColumn<QString>("keyBox");
    QTest::newRow("HMAC: the secret") << QStringLiteral("HS256") << QStringLiteral("verifySecretEdit");
    QTest::newRow("RSA: the public key") << QStringLiteral("RS256") << QStringLiteral("verifyKeyEdit");
}

void TestKeyboardAccess::verifyShortcutPutsTheCursorInTheKeyBox()
{
    QFETCH(QString, sample);
    QFETCH(QString, keyBox);
    MainWindow window(MainWindow::Options::NoSettings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForSample(window, sample);
    window.showSigning();
    auto* action = window.findChild<QAction*>(QStringLiteral("actionShowVerify"));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+R")));
    action->trigger();
    // The window's focus widget (what gets the next paste), whether or not the platform made the window active.
    QVERIFY(window.focusWidget());
    QCOMPARE(window.focusWidget()->objectName(), keyBox);
}

void TestKeyboardAccess::escapeClosesEveryDialogAndToolWindow()
{
    MainWindow window(MainWindow::Options::NoSettings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    auto* manager = new KeyManagerWindow(m_store);
    manager->setAttribute(Qt::WA_DeleteOnClose);
    manager->show();
    QVERIFY(QTest::qWaitForWindowExposed(manager));
    KeyWizard* wizard = manager->openWizard(false);
    QVERIFY(QTest::qWaitForWindowExposed(wizard));
    QTest::keyClick(wizard, Qt::Key_Escape);
    QTRY_VERIFY(!wizard->isVisible());
    KeyImportDialog* import = manager->openImportDialog();
    QVERIFY(QTest::qWaitForWindowExposed(import));
    QTest::keyClick(import, Qt::Key_Escape);
    QTRY_VERIFY(!import->isVisible());
    RemoteJwksDialog* remote = manager->openRemoteDialog();
    QVERIFY(QTest::qWaitForWindowExposed(remote));
    QTest::keyClick(remote, Qt::Key_Escape);
    QTRY_VERIFY(!remote->isVisible());
    const QPointer<KeyManagerWindow> managerAlive(manager);
    QTest::keyClick(manager, Qt::Key_Escape);
    QTRY_VERIFY(managerAlive.isNull()); // closed, and so deleted (WA_DeleteOnClose)

    SettingsDialog settings(AppSettings(), &window);
    settings.show();
    QVERIFY(QTest::qWaitForWindowExposed(&settings));
    QTest::keyClick(&settings, Qt::Key_Escape);
    QTRY_VERIFY(!settings.isVisible());

    // The tour is a tool pane of the main window: Esc inside it leaves it.
    window.showGuidedTour();
    GuidedTour* tour = window.guidedTour();
    QTRY_VERIFY(tour->isVisible());
    QTest::keyClick(tour, Qt::Key_Escape);
    QTRY_VERIFY(!tour->isVisible());
}

void TestKeyboardAccess::everyInteractiveWidgetHasAName()
{
    MainWindow window(MainWindow::Options::NoSettings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForSample(window, QStringLiteral("HS256"));
    window.showGuidedTour();
    QTRY_VERIFY(window.guidedTour()->isSampleReady());
    auto* sideTabs = window.findChild<QTabWidget*>(QStringLiteral("sideTabs"));
    QStringList unnamed;
    for (int side = 0; side < sideTabs->count(); ++side) {
        sideTabs->setCurrentIndex(side);
        for (int tab = 0; tab <= int(MainWindow::DetailTab::Lessons); ++tab) {
            window.showDetailTab(MainWindow::DetailTab(tab));
            for (QWidget* widget : interactiveWidgets(&window)) {
                if (accessibleName(widget).trimmed().isEmpty())
                    unnamed << QStringLiteral("%1 %2 (in %3)")
                                   .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName(),
                                        widget->parentWidget()->objectName());
            }
        }
    }
    // The clear buttons of both secret fields, which the issue found nameless.
    for (const QString& name : {QStringLiteral("verifySecretEdit"), QStringLiteral("signSecretEdit")}) {
        auto* edit = window.findChild<QLineEdit*>(name);
        QVERIFY(edit);
        edit->setText(QStringLiteral("x"));
        const QList<QAbstractButton*> buttons = edit->findChildren<QAbstractButton*>();
        QVERIFY(!buttons.isEmpty());
        for (QAbstractButton* button : buttons) {
            if (accessibleName(button).isEmpty())
                unnamed << QStringLiteral("clear button of ") + name;
        }
    }
    unnamed.removeDuplicates();
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QLatin1Char('\n'))));
}

void TestKeyboardAccess::changingLabelsSayTheirText()
{
    MainWindow window(MainWindow::Options::NoSettings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForSample(window, QStringLiteral("HS256"));
    VerifyPanel* panel = window.verifyPanel();
    auto* result = panel->findChild<QLabel*>(QStringLiteral("verifyResult"));
    auto* keyStatus = panel->findChild<QLabel*>(QStringLiteral("verifyKeyStatus"));
    auto* alg = panel->findChild<QLabel*>(QStringLiteral("verifyAlgLabel"));
    QVERIFY(result && keyStatus && alg);
    QTRY_VERIFY(window.document()->verdict().outcome == VerdictOutcome::Valid);
    QCOMPARE(accessibleName(result), window.document()->verdict().headline);
    QVERIFY2(accessibleName(alg).contains(QLatin1String("HS256")), qPrintable(accessibleName(alg)));
    QVERIFY2(!accessibleName(alg).contains(QLatin1Char('<')), qPrintable(accessibleName(alg)));
    QVERIFY2(accessibleName(keyStatus).contains(QLatin1String("256 bits")), qPrintable(accessibleName(keyStatus)));

    // A wrong secret: each of them says the new state, not a fixed title.
    panel->secretInput()->setSecret(QStringLiteral("not-the-secret-not-the-secret-xx"), SecretEncoding::Text);
    QTRY_VERIFY(window.document()->verdict().outcome == VerdictOutcome::Invalid);
    QCOMPARE(accessibleName(result), window.document()->verdict().headline);
    panel->secretInput()->setSecret(QStringLiteral("zz"), SecretEncoding::Hex);
    QTRY_VERIFY2(accessibleName(keyStatus).contains(QLatin1String("not usable")),
                 qPrintable(accessibleName(keyStatus)));

    window.loadSample(QStringLiteral("RS256"));
    QTRY_VERIFY(accessibleName(alg).contains(QLatin1String("RS256")));
}

void TestKeyboardAccess::verdictIsTheFirstThingReadInTheVerifyPanel()
{
    MainWindow window(MainWindow::Options::NoSettings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForSample(window, QStringLiteral("HS256"));
    QAccessibleInterface* panel = QAccessible::queryAccessibleInterface(window.verifyPanel());
    QVERIFY(panel);
    // The first child a screen reader meets that says anything.
    QString first;
    for (int i = 0; i < panel->childCount() && first.isEmpty(); ++i) {
        QAccessibleInterface* child = panel->child(i);
        if (child && !child->state().invisible)
            first = child->text(QAccessible::Name);
    }
    QCOMPARE(first, window.document()->verdict().headline);
}

void TestKeyboardAccess::tabMovesInReadingOrder()
{
    MainWindow window(MainWindow::Options::NoSettings);
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForSample(window, QStringLiteral("HS256"));
    QStringList problems;
    // Within each pane, each next stop is below the one before, or on its line and to its right.
    auto checkPane = [&](QWidget* pane, const QString& paneName) {
        QWidget* start = pane->nextInFocusChain();
        QWidget* previous = nullptr;
        int stops = 0;
        for (QWidget* widget = start; stops < 200; widget = widget->nextInFocusChain(), ++stops) {
            if (widget == start && stops > 0)
                break;
            if (!pane->isAncestorOf(widget) || !widget->isVisible() || !widget->isEnabled()
                || !(widget->focusPolicy() & Qt::TabFocus) || widget->focusProxy())
                continue;
            if (previous) {
                const QRect before(previous->mapTo(pane, QPoint()), previous->size());
                const QRect now(widget->mapTo(pane, QPoint()), widget->size());
                const bool below = now.top() >= before.bottom() - 2;
                const bool sameLineRight = now.top() < before.bottom() && now.left() >= before.right() - 2;
                if (!below && !sameLineRight)
                    problems
                        << QStringLiteral("%1: %2 then %3").arg(paneName, previous->objectName(), widget->objectName());
            }
            previous = widget;
        }
    };
    checkPane(window.verifyPanel(), QStringLiteral("verify panel"));
    window.showSigning();
    checkPane(window.signingEditor(), QStringLiteral("signing editor"));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestKeyboardAccess)
#include "TestKeyboardAccess.moc"
