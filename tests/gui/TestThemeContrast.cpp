// Light, dark and "follow the desktop": every text/background pair the app draws meets WCAG AA (4.5:1 for text,
// 3:1 for an outline) in both of our palettes; the theme is chosen in Settings and the View menu, remembered after a
// restart, and a switch repaints what was coloured for the old palette (the token's segments, the legend).

#include "core/model/TokenDocument.h"
#include "shell/AppSettings.h"
#include "shell/MainWindow.h"
#include "shell/Palette.h"
#include "shell/SettingsDialog.h"
#include "token/TokenEditor.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace jwti;

namespace {

using Role = Palette::Role;

// WCAG 2.1 relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
double luminance(const QColor& color)
{
    auto channel
        = [](double value) { return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF());
}

double contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

const char* roleName(Role role)
{
    switch (role) {
    case Role::Header:
        return "Header";
    case Role::Payload:
        return "Payload";
    case Role::Signature:
        return "Signature";
    case Role::OtherSegment:
        return "OtherSegment";
    case Role::Dot:
        return "Dot";
    case Role::Error:
        return "Error";
    case Role::JsonKey:
        return "JsonKey";
    case Role::JsonString:
        return "JsonString";
    case Role::JsonNumber:
        return "JsonNumber";
    case Role::JsonLiteral:
        return "JsonLiteral";
    case Role::JsonPunctuation:
        return "JsonPunctuation";
    case Role::Critical:
        return "Critical";
    case Role::Warning:
        return "Warning";
    case Role::Info:
        return "Info";
    case Role::Valid:
        return "Valid";
    case Role::Trace:
        return "Trace";
    case Role::TraceTint:
        return "TraceTint";
    }
    return "?";
}

const Role kTextRoles[]
    = {Role::Header,          Role::Payload,  Role::Signature,  Role::OtherSegment, Role::Dot,
       Role::Error,           Role::JsonKey,  Role::JsonString, Role::JsonNumber,   Role::JsonLiteral,
       Role::JsonPunctuation, Role::Critical, Role::Warning,    Role::Info,         Role::Valid};
// Drawn on their own tint: token segments, verdict box, claims rows, banners, walk-through cards.
const Role kTintedRoles[] = {Role::Header,   Role::Payload, Role::Signature, Role::OtherSegment, Role::Error,
                             Role::Critical, Role::Warning, Role::Valid,     Role::Info};
// Drawn under the trace highlight: token characters and the JSON views' text.
const Role kTracedRoles[] = {Role::Header,     Role::Payload,     Role::Signature,      Role::OtherSegment,
                             Role::Dot,        Role::Error,       Role::JsonKey,        Role::JsonString,
                             Role::JsonNumber, Role::JsonLiteral, Role::JsonPunctuation};

} // namespace

class TestThemeContrast : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void everyPairMeetsWcagAa_data();
    void everyPairMeetsWcagAa();
    void themeIsChosenInSettingsAndRemembered();
    void viewMenuChoiceIsRememberedToo();
    void switchingThemeRepaintsTheTokenAndLegend();
    void colourWidgetTintsWhatFillsItsBackgroundAndInfoGivesTheWindowsColoursBack();

private:
    QTemporaryDir m_config;
};

void TestThemeContrast::initTestCase()
{
    QVERIFY(m_config.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("jwt-inspector-test"));
    QCoreApplication::setApplicationName(QStringLiteral("jwt-inspector-theme-test"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
    Palette::rememberDesktop(*qApp);
}

void TestThemeContrast::cleanup()
{
    QSettings().clear();
    Palette::apply(*qApp, Palette::Theme::Light);
}

void TestThemeContrast::everyPairMeetsWcagAa_data()
{
    QTest::addColumn<int>("theme");
    QTest::newRow("light") << int(Palette::Theme::Light);
    QTest::newRow("dark") << int(Palette::Theme::Dark);
}

void TestThemeContrast::everyPairMeetsWcagAa()
{
    QFETCH(int, theme);
    Palette::apply(*qApp, Palette::Theme(theme));
    QCOMPARE(Palette::isDark(), Palette::Theme(theme) == Palette::Theme::Dark);
    const QPalette palette = QApplication::palette();
    QStringList failures;
    int pairs = 0;
    auto check = [&](const QString& what, const QColor& text, const QColor& background, double needed = 4.5) {
        ++pairs;
        const double ratio = contrast(text, background);
        if (ratio < needed)
            failures << QStringLiteral("%1: %2 on %3 is %4:1")
                            .arg(what, text.name(), background.name())
                            .arg(ratio, 0, 'f', 2);
    };

    // The palette's own pairs.
    check(QStringLiteral("Text/Base"), palette.color(QPalette::Text), palette.color(QPalette::Base));
    check(QStringLiteral("Text/AlternateBase"), palette.color(QPalette::Text), palette.color(QPalette::AlternateBase));
    check(QStringLiteral("WindowText/Window"), palette.color(QPalette::WindowText), palette.color(QPalette::Window));
    check(QStringLiteral("ButtonText/Button"), palette.color(QPalette::ButtonText), palette.color(QPalette::Button));
    check(QStringLiteral("HighlightedText/Highlight"), palette.color(QPalette::HighlightedText),
          palette.color(QPalette::Highlight));
    check(QStringLiteral("PlaceholderText/Base"), palette.color(QPalette::PlaceholderText),
          palette.color(QPalette::Base));
    check(QStringLiteral("PlaceholderText/AlternateBase"), palette.color(QPalette::PlaceholderText),
          palette.color(QPalette::AlternateBase));
    check(QStringLiteral("ToolTipText/ToolTipBase"), palette.color(QPalette::ToolTipText),
          palette.color(QPalette::ToolTipBase));
    check(QStringLiteral("Link/Base"), palette.color(QPalette::Link), palette.color(QPalette::Base));
    check(QStringLiteral("Link/Window"), palette.color(QPalette::Link), palette.color(QPalette::Window));

    // Our colours on the window's backgrounds: editors and lists (Base, AlternateBase), labels and the legend (Window).
    for (const Role role : kTextRoles) {
        const QString name = QString::fromLatin1(roleName(role));
        check(name + QStringLiteral("/Base"), Palette::text(role), palette.color(QPalette::Base));
        check(name + QStringLiteral("/AlternateBase"), Palette::text(role), palette.color(QPalette::AlternateBase));
        check(name + QStringLiteral("/Window"), Palette::text(role), palette.color(QPalette::Window));
    }
    for (const Role role : kTintedRoles) {
        const QString name = QString::fromLatin1(roleName(role));
        check(name + QStringLiteral("/own tint"), Palette::text(role), Palette::background(role));
    }
    for (const Role role : kTracedRoles) {
        const QString name = QString::fromLatin1(roleName(role));
        check(name + QStringLiteral("/Trace"), Palette::text(role), Palette::background(Role::Trace));
        check(name + QStringLiteral("/TraceTint"), Palette::text(role), Palette::background(Role::TraceTint));
    }
    // The errors' wavy underline sits on the segment tints too, in the error colour (WCAG 1.4.11: 3:1 for graphics).
    for (const Role role : {Role::Header, Role::Payload, Role::Signature})
        check(QStringLiteral("Error underline/%1 tint").arg(QString::fromLatin1(roleName(role))),
              Palette::text(Role::Error), Palette::background(role), 3.0);
    check(QStringLiteral("Trace outline/Base"), Palette::text(Role::Trace), palette.color(QPalette::Base), 3.0);

    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
    QVERIFY(pairs >= 90); // every loop above ran
}

void TestThemeContrast::themeIsChosenInSettingsAndRemembered()
{
    QCOMPARE(AppSettings().theme, QStringLiteral("system")); // follows the desktop unless the user chooses
    AppSettings settings;
    SettingsDialog dialog(settings);
    auto* combo = dialog.findChild<QComboBox*>(QStringLiteral("settingsTheme"));
    QVERIFY(combo);
    QCOMPARE(combo->currentData().toString(), QStringLiteral("system"));
    combo->setCurrentIndex(combo->findData(QStringLiteral("dark")));
    QCOMPARE(dialog.settings().theme, QStringLiteral("dark"));
    dialog.settings().save();
    QCOMPARE(AppSettings::load().theme, QStringLiteral("dark"));

    // A hand-edited value falls back to following the desktop.
    QSettings().setValue(QStringLiteral("view/theme"), QStringLiteral("purple"));
    QCOMPARE(AppSettings::load().theme, QStringLiteral("system"));

    // The window applies it at once.
    MainWindow window(MainWindow::Options::NoSettings);
    AppSettings dark;
    dark.theme = QStringLiteral("dark");
    window.setSettings(dark);
    QCOMPARE(Palette::current(), Palette::Theme::Dark);
    QVERIFY(Palette::isDark());
}

void TestThemeContrast::viewMenuChoiceIsRememberedToo()
{
    MainWindow window; // Default: saves what it is told
    auto* dark = window.findChild<QAction*>(QStringLiteral("actionTheme%1").arg(int(Palette::Theme::Dark)));
    QVERIFY(dark);
    dark->trigger();
    QCOMPARE(Palette::current(), Palette::Theme::Dark);
    QCOMPARE(AppSettings::load().theme, QStringLiteral("dark"));
    QCOMPARE(window.settings().theme, QStringLiteral("dark"));
    auto* light = window.findChild<QAction*>(QStringLiteral("actionTheme%1").arg(int(Palette::Theme::Light)));
    light->trigger();
    QVERIFY(light->isChecked());
    QVERIFY(!dark->isChecked());
    QCOMPARE(AppSettings::load().theme, QStringLiteral("light"));
}

void TestThemeContrast::switchingThemeRepaintsTheTokenAndLegend()
{
    Palette::apply(*qApp, Palette::Theme::Light);
    MainWindow window(MainWindow::Options::NoSettings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.loadToken(QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU"));
    auto segmentBackgrounds = [&] {
        QSet<QRgb> colours;
        for (const QTextEdit::ExtraSelection& selection : window.tokenEditor()->extraSelections()) {
            if (selection.format.hasProperty(QTextFormat::BackgroundBrush))
                colours << selection.format.background().color().rgb();
        }
        return colours;
    };
    QTRY_VERIFY(segmentBackgrounds().contains(Palette::background(Role::Header).rgb()));
    auto* legend = window.findChild<QLabel*>(QStringLiteral("segmentLegend"));
    QVERIFY(legend);
    QVERIFY(legend->text().contains(Palette::text(Role::Payload).name()));

    AppSettings dark;
    dark.theme = QStringLiteral("dark");
    window.setSettings(dark);
    QVERIFY(Palette::isDark());
    // The dark tints, not the light ones left over from before.
    QTRY_VERIFY(segmentBackgrounds().contains(Palette::background(Role::Header).rgb()));
    Palette::apply(*qApp, Palette::Theme::Light);
    const QRgb lightHeader = Palette::background(Role::Header).rgb();
    Palette::apply(*qApp, Palette::Theme::Dark);
    QTRY_VERIFY(!segmentBackgrounds().contains(lightHeader));
    QVERIFY2(legend->text().contains(Palette::text(Role::Payload).name()), qPrintable(legend->text()));
}

void TestThemeContrast::colourWidgetTintsWhatFillsItsBackgroundAndInfoGivesTheWindowsColoursBack()
{
    for (const Palette::Theme theme : {Palette::Theme::Light, Palette::Theme::Dark}) {
        Palette::apply(*qApp, theme);
        const QPalette window = QApplication::palette();
        QLabel filled;
        filled.setAutoFillBackground(true);
        QLabel framed;
        framed.setFrameShape(QFrame::StyledPanel);

        Palette::colourWidget(&filled, Role::Warning);
        QCOMPARE(filled.palette().color(QPalette::Window), Palette::background(Role::Warning));
        QCOMPARE(filled.palette().color(QPalette::WindowText), Palette::text(Role::Warning));
        // Not filled: only its text; its frame's outline, drawn from Window, keeps the window's colour.
        Palette::colourWidget(&framed, Role::Error);
        QCOMPARE(framed.palette().color(QPalette::WindowText), Palette::text(Role::Error));
        QCOMPARE(framed.palette().color(QPalette::Window), window.color(QPalette::Window));

        // Info: the window's own colours, not the tint of the verdict before.
        Palette::colourWidget(&filled, Role::Info);
        Palette::colourWidget(&framed, Role::Info);
        QCOMPARE(filled.palette().color(QPalette::Window), window.color(QPalette::Window));
        QCOMPARE(filled.palette().color(QPalette::WindowText), window.color(QPalette::WindowText));
        QCOMPARE(framed.palette().color(QPalette::WindowText), window.color(QPalette::WindowText));
    }
}

QTEST_MAIN(TestThemeContrast)
#include "TestThemeContrast.moc"
