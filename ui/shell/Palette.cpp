#include "shell/Palette.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>
#include <QWidget>

namespace jwti {

Palette::Theme Palette::s_theme = Palette::Theme::System;
std::optional<QPalette> Palette::s_desktopPalette;
QString Palette::s_desktopStyle;
std::optional<bool> Palette::s_desktopPrefersDark;

QPalette Palette::lightPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0xf5, 0xf5, 0xf5));
    palette.setColor(QPalette::WindowText, QColor(0x1e, 0x1e, 0x1e));
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::AlternateBase, QColor(0xee, 0xf1, 0xf5));
    palette.setColor(QPalette::Text, QColor(0x1e, 0x1e, 0x1e));
    palette.setColor(QPalette::Button, QColor(0xe8, 0xe8, 0xe8));
    palette.setColor(QPalette::ButtonText, QColor(0x1e, 0x1e, 0x1e));
    palette.setColor(QPalette::Highlight, QColor(0x1a, 0x5f, 0xb4));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xe1));
    palette.setColor(QPalette::ToolTipText, QColor(0x1e, 0x1e, 0x1e));
    palette.setColor(QPalette::Link, QColor(0x1a, 0x5f, 0xb4));
    palette.setColor(QPalette::PlaceholderText, QColor(0x6a, 0x6a, 0x6a));
    palette.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    return palette;
}

QPalette Palette::darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2e));
    palette.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x21));
    palette.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2e));
    palette.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3e));
    palette.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Highlight, QColor(0x2a, 0x6c, 0xb8)); // white on it: 5.3:1
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3e));
    palette.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Link, QColor(0x8a, 0xb8, 0xff));
    palette.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa0));
    palette.setColor(QPalette::Disabled, QPalette::Text, QColor(0x8a, 0x8a, 0x8a));
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x8a, 0x8a, 0x8a));
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x8a, 0x8a, 0x8a));
    return palette;
}

void Palette::rememberDesktop(const QApplication& app)
{
    s_desktopPalette = QApplication::palette();
    s_desktopStyle = app.style()->name();
}

void Palette::setDesktopPrefersDark(std::optional<bool> prefersDark)
{
    s_desktopPrefersDark = prefersDark;
}

void Palette::apply(QApplication& app, Theme theme)
{
    s_theme = theme;
    const QPalette desktop = s_desktopPalette.value_or(app.style()->standardPalette());
    const bool desktopPaletteDark = desktop.color(QPalette::Window).lightness() < 128;
    // Following the desktop: its own palette, unless it asks for the other scheme than its palette has (a plain
    // X session or Qt without a platform theme gives a light palette whatever the desktop prefers).
    if (theme == Theme::System && s_desktopPrefersDark && *s_desktopPrefersDark != desktopPaletteDark)
        theme = *s_desktopPrefersDark ? Theme::Dark : Theme::Light;
    switch (theme) {
    case Theme::System:
        if (!s_desktopStyle.isEmpty() && app.style()->name() != s_desktopStyle)
            QApplication::setStyle(QStyleFactory::create(s_desktopStyle));
        QApplication::setPalette(desktop);
        break;
    case Theme::Light:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(lightPalette());
        break;
    case Theme::Dark:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
        break;
    }
}

QString Palette::themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

Palette::Theme Palette::themeFromName(const QString& name)
{
    if (name == QLatin1String("light"))
        return Theme::Light;
    if (name == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

Palette::Theme Palette::current()
{
    return s_theme;
}

bool Palette::isDark()
{
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

QColor Palette::text(Role role)
{
    const bool dark = isDark();
    // Pairs (dark, light) picked for a contrast ratio of at least 4.5:1 (WCAG AA) against Base, AlternateBase,
    // Window and their own background(); tests/gui/TestThemeContrast checks every pair.
    switch (role) {
    case Role::Header:
        return dark ? QColor(0xff, 0x9a, 0x90) : QColor(0xb0, 0x1e, 0x1e);
    case Role::Payload:
        return dark ? QColor(0xd8, 0xab, 0xff) : QColor(0x6a, 0x1b, 0x9a);
    case Role::Signature:
        return dark ? QColor(0x6c, 0xd4, 0xff) : QColor(0x00, 0x5f, 0x87);
    case Role::OtherSegment:
        return dark ? QColor(0xa5, 0xd6, 0x7f) : QColor(0x2e, 0x6b, 0x1f);
    case Role::Dot:
        return dark ? QColor(0xff, 0xff, 0xff) : QColor(0x00, 0x00, 0x00);
    case Role::Error:
    case Role::Critical:
        return dark ? QColor(0xff, 0x8a, 0x8a) : QColor(0xb0, 0x00, 0x20);
    case Role::Warning:
        return dark ? QColor(0xff, 0xc1, 0x4d) : QColor(0x8a, 0x4b, 0x00);
    case Role::Info:
        return dark ? QColor(0x8a, 0xb8, 0xff) : QColor(0x1a, 0x4f, 0x9c);
    case Role::Valid:
        return dark ? QColor(0x7e, 0xe0, 0x8a) : QColor(0x1b, 0x6e, 0x2a);
    case Role::JsonKey:
        return dark ? QColor(0x9c, 0xdc, 0xfe) : QColor(0x0b, 0x4f, 0x8a);
    case Role::JsonString:
        return dark ? QColor(0xe0, 0xa8, 0x90) : QColor(0xa3, 0x15, 0x15);
    case Role::JsonNumber:
        return dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x07, 0x67, 0x2f);
    case Role::JsonLiteral:
        return dark ? QColor(0x7c, 0xbc, 0xf0) : QColor(0x00, 0x00, 0xc0);
    case Role::JsonPunctuation:
        return dark ? QColor(0xc8, 0xc8, 0xc8) : QColor(0x50, 0x50, 0x50);
    case Role::Trace:
    case Role::TraceTint:
        return dark ? QColor(0xff, 0xd5, 0x4f) : QColor(0x8a, 0x5a, 0x00);
    }
    return QApplication::palette().color(QPalette::Text);
}

QColor Palette::background(Role role)
{
    const bool dark = isDark();
    switch (role) {
    case Role::Header:
        return dark ? QColor(0x4a, 0x22, 0x22) : QColor(0xfd, 0xe4, 0xe4);
    case Role::Payload:
        return dark ? QColor(0x36, 0x24, 0x4a) : QColor(0xf1, 0xe6, 0xfb);
    case Role::Signature:
        return dark ? QColor(0x17, 0x36, 0x46) : QColor(0xe0, 0xf2, 0xfa);
    case Role::OtherSegment:
        return dark ? QColor(0x25, 0x3a, 0x1f) : QColor(0xe6, 0xf4, 0xe0);
    case Role::Error:
    case Role::Critical:
        return dark ? QColor(0x4a, 0x14, 0x14) : QColor(0xff, 0xcd, 0xd2);
    case Role::Warning:
        return dark ? QColor(0x4d, 0x3a, 0x10) : QColor(0xff, 0xf0, 0xc8);
    case Role::Valid:
        return dark ? QColor(0x1c, 0x3d, 0x22) : QColor(0xdf, 0xf3, 0xe2);
    case Role::Info:
        return dark ? QColor(0x1d, 0x2f, 0x45) : QColor(0xe8, 0xf1, 0xfb);
    // Amber, apart from the segment tints; dark enough in the dark palette for every light text colour on it.
    case Role::Trace:
        return dark ? QColor(0x4d, 0x3d, 0x00) : QColor(0xff, 0xd5, 0x4f);
    case Role::TraceTint:
        return dark ? QColor(0x2e, 0x2a, 0x18) : QColor(0xff, 0xf3, 0xc4);
    default:
        return QApplication::palette().color(QPalette::Base);
    }
}

void Palette::colourWidget(QWidget* widget, Role role)
{
    const QPalette window = QApplication::palette();
    QPalette palette = widget->palette();
    // Only a widget that fills its background gets a tint: a framed label's outline is drawn from Window, and a
    // tinted outline around uncoloured ground reads as a smudge.
    if (widget->autoFillBackground())
        palette.setColor(QPalette::Window, role == Role::Info ? window.color(QPalette::Window) : background(role));
    palette.setColor(QPalette::WindowText, role == Role::Info ? window.color(QPalette::WindowText) : text(role));
    widget->setPalette(palette);
}

} // namespace jwti
