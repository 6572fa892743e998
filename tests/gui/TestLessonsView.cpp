// The Lessons tab: it renders the core's lessons for whatever token the window holds, follows the token and its
// verification, and copies only the redacted JSON.
#include "core/crypto/KeyGeneration.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jws.h"
#include "core/model/TokenDocument.h"
#include "shell/MainWindow.h"
#include "teach/LessonsView.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QtTest>

using namespace jwti;

namespace {

constexpr qint64 kNow = 1'800'000'000;
constexpr qint64 kDay = 24 * 60 * 60;

QString tokenWith(const QByteArray& payload, const QByteArray& header = R"({"alg":"HS256","typ":"JWT"})")
{
    return QString::fromLatin1(Base64Url::encode(header) + '.' + Base64Url::encode(payload) + ".c2lnbmF0dXJl");
}

QByteArray timedPayload(qint64 iat, qint64 exp, const QByteArray& extra = {})
{
    return "{\"sub\":\"u-1042\",\"iat\":" + QByteArray::number(iat) + ",\"exp\":" + QByteArray::number(exp) + extra
        + '}';
}

QVariant figureOf(const LessonsView& view, const char* code, const char16_t* name)
{
    for (const Lesson& lesson : view.lessons()) {
        if (lesson.code == QLatin1String(code))
            return lesson.figure(name);
    }
    return {};
}

} // namespace

class TestLessonsView : public QObject
{
    Q_OBJECT

private slots:
    void followsTheOpenToken();
    void followsTheKeyThatVerified();
    void copiesOnlyTheRedactedJson();
    void escapesClaimNamesItShows();
    void isATabOfTheWindowOnAltEight();
    void textThatIsNoTokenShowsOneMessageAndNoLessons_data();
    void textThatIsNoTokenShowsOneMessageAndNoLessons();
};

void TestLessonsView::textThatIsNoTokenShowsOneMessageAndNoLessons_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("prose") << QStringLiteral("this is not a token at all, really!");
    QTest::newRow("certificate") << QStringLiteral("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n"
                                                   "-----END CERTIFICATE-----\n");
}

void TestLessonsView::textThatIsNoTokenShowsOneMessageAndNoLessons()
{
    QFETCH(QString, text);
    TokenDocument document;
    document.setNowOverride(kNow);
    LessonsView view(&document);
    view.show();
    document.setText(text);
    QVERIFY(document.isNotAToken());
    QVERIFY(view.lessons().empty());
    auto* summary = view.findChild<QLabel*>(QStringLiteral("lessonsSummary"));
    QCOMPARE(summary->text(), QStringLiteral("This is not a JWT, so it has no lessons to teach."));
    // The message alone, as on the Header, Claims and Findings tabs: no empty text box, no copy button.
    QVERIFY(view.findChild<QWidget*>(QStringLiteral("lessonsText"))->isHidden());
    QVERIFY(view.findChild<QAbstractButton*>(QStringLiteral("copyRedactedJson"))->isHidden());

    // A token again brings its lessons back.
    document.setText(tokenWith(timedPayload(kNow - kDay, kNow + kDay)));
    QTRY_VERIFY(!view.lessons().empty());
    QVERIFY(!view.findChild<QWidget*>(QStringLiteral("lessonsText"))->isHidden());
}

void TestLessonsView::followsTheOpenToken()
{
    TokenDocument document;
    document.setNowOverride(kNow);
    LessonsView view(&document);
    auto* copy = view.findChild<QAbstractButton*>(QStringLiteral("copyRedactedJson"));
    QVERIFY(copy);
    QVERIFY(view.lessons().empty());
    QVERIFY(!copy->isEnabled());
    QVERIFY(view.text().contains(QLatin1String("Open or paste a token")));

    QSignalSpy refreshed(&view, &LessonsView::refreshed);
    document.setText(tokenWith(timedPayload(kNow - kDay, kNow + 29 * kDay, R"(,"email":"jane@example.com")")));
    QTRY_COMPARE(view.lessons().size(), std::size_t(5));
    QVERIFY(refreshed.count() >= 1);
    QVERIFY(copy->isEnabled());
    QCOMPARE(figureOf(view, "lifetime-and-ending", u"lifetimeSeconds").toLongLong(), 30 * kDay);
    QVERIFY2(view.text().contains(QLatin1String("a lifetime of 30 days")), qPrintable(view.text()));
    QVERIFY(view.text().contains(QLatin1String("Claims that look like personal data (1): email")));
    QVERIFY(view.text().contains(QString::fromUtf8("Source: RFC 7519 §12")));

    // Another token replaces every lesson.
    document.setText(tokenWith(timedPayload(kNow, kNow + 300), R"({"alg":"RS256"})"));
    QTRY_COMPARE(figureOf(view, "lifetime-and-ending", u"lifetimeSeconds").toLongLong(), 300);
    QVERIFY(view.text().contains(QLatin1String("a lifetime of 5 min")));
    QVERIFY(!view.text().contains(QLatin1String("30 days")));
    QVERIFY(view.text().contains(QLatin1String("only the holder of the private key")));

    document.setText(QString());
    QTRY_VERIFY(view.lessons().empty());
    QVERIFY(!copy->isEnabled());
    QVERIFY(!view.text().contains(QLatin1String("lifetime")));
}

void TestLessonsView::followsTheKeyThatVerified()
{
    const auto spec = keySpecForAlg(*findAlg(u"HS256"));
    QVERIFY(spec);
    const auto key = generateKey(*spec);
    QVERIFY(key);
    SignOptions options;
    options.alg = QStringLiteral("HS256");
    const auto token = signToken(timedPayload(kNow, kNow + 600), *key, options);
    QVERIFY(token);

    TokenDocument document;
    document.setNowOverride(kNow);
    LessonsView view(&document);
    document.setText(QString::fromLatin1(*token));
    QTRY_COMPARE(figureOf(view, "who-can-sign", u"verified").toBool(), false);
    QVERIFY(view.text().contains(QLatin1String("treat it as written by anyone")));

    VerifyOptions verify = document.verifyOptions();
    verify.claims.now = kNow;
    document.setVerifyOptions(verify);
    document.setKeys({*key});
    QTRY_COMPARE(figureOf(view, "who-can-sign", u"verified").toBool(), true);
    QVERIFY2(view.text().contains(QLatin1String("could mint tokens just like it")), qPrintable(view.text()));

    document.setKeys({});
    QTRY_COMPARE(figureOf(view, "who-can-sign", u"verified").toBool(), false);
}

void TestLessonsView::copiesOnlyTheRedactedJson()
{
    TokenDocument document;
    document.setNowOverride(kNow);
    LessonsView view(&document);
    const QString token = tokenWith(R"({"sub":"u-1042","email":"jane@example.com","phone_number":"+44 1"})");
    document.setText(token);
    QTRY_VERIFY(!view.lessons().empty());
    QApplication::clipboard()->setText(QStringLiteral("before"));
    view.findChild<QAbstractButton*>(QStringLiteral("copyRedactedJson"))->click();
    const QString copied = QApplication::clipboard()->text();
    QCOMPARE(copied, QString::fromUtf8(redactedJson(document.token())));
    QVERIFY(copied.contains(QLatin1String("\"email\": \"redacted\"")));
    QVERIFY(!copied.contains(QLatin1String("jane")));
    const QStringList parts = token.split(QLatin1Char('.'));
    for (const QString& part : parts)
        QVERIFY2(!copied.contains(part.left(10)), qPrintable(part));
    QVERIFY(
        view.findChild<QLabel*>(QStringLiteral("copyRedactedNote"))->text().contains(QLatin1String("no signature")));
}

void TestLessonsView::escapesClaimNamesItShows()
{
    TokenDocument document;
    document.setNowOverride(kNow);
    LessonsView view(&document);
    document.setText(tokenWith(R"({"<b>bold</b>":1,"sub":"x"})"));
    QTRY_VERIFY(!view.lessons().empty());
    // Shown as written, never read as markup.
    QVERIFY2(view.text().contains(QLatin1String("<b>bold</b>")), qPrintable(view.text()));
}

void TestLessonsView::isATabOfTheWindowOnAltEight()
{
    MainWindow window(MainWindow::Options::NoSettings);
    window.show();
    window.loadToken(tokenWith(timedPayload(kNow, kNow + 300)));
    auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("detailTabs"));
    QVERIFY(tabs);
    const int index = tabs->indexOf(window.lessonsView());
    QCOMPARE(index, int(MainWindow::DetailTab::Lessons));
    QCOMPARE(tabs->tabText(index - 1), QStringLiteral("How it's signed"));
    QCOMPARE(tabs->tabText(index), QStringLiteral("Lessons"));

    // No tab has a mnemonic: Alt+1…8 reach them (TestKeyboardAccess checks the window's mnemonics as a whole).
    QVERIFY(!tabs->tabText(index).contains(QLatin1Char('&')));

    // The copy button's mnemonic is no other button's in the window (the tour's dock included, which sits beside
    // this view on its Lessons step).
    window.showGuidedTour();
    window.showDetailTab(MainWindow::DetailTab::Lessons);
    const auto mnemonicOf = [](const QString& text) {
        const qsizetype amp = text.indexOf(QLatin1Char('&'));
        return amp >= 0 && amp + 1 < text.size() ? text.at(amp + 1).toLower() : QChar();
    };
    const QChar copyMnemonic
        = mnemonicOf(window.lessonsView()->findChild<QAbstractButton*>(QStringLiteral("copyRedactedJson"))->text());
    QVERIFY(!copyMnemonic.isNull());
    int sameMnemonic = 0;
    const QList<QAbstractButton*> buttons = window.findChildren<QAbstractButton*>();
    for (const QAbstractButton* button : buttons)
        sameMnemonic += button->isVisible() && mnemonicOf(button->text()) == copyMnemonic ? 1 : 0;
    QCOMPARE(sameMnemonic, 1);

    auto* action = window.findChild<QAction*>(QStringLiteral("actionShowTab%1").arg(index));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(QStringLiteral("Alt+8")));
    QCOMPARE(action->text(), QStringLiteral("Lessons"));
    tabs->setCurrentIndex(0);
    action->trigger();
    QCOMPARE(tabs->currentWidget(), window.lessonsView());
    QTRY_VERIFY(!window.lessonsView()->lessons().empty());
}

QTEST_MAIN(TestLessonsView)
#include "TestLessonsView.moc"
