#pragma once

#include <QColor>
#include <QPalette>
#include <QString>
#include <optional>

class QApplication;
class QWidget;

namespace jwti {

// The colours every pane shares, chosen for both light and dark window palettes. Colour is never the only signal:
// each segment also has its own underline style and a name in the status bar and tooltips.
class Palette
{
public:
    enum class Theme { System, Light, Dark };

    // Switches the application between the desktop's palette and our light or dark one (Fusion style, so both read
    // the same everywhere). System follows the desktop: its own palette, unless the desktop says it prefers the
    // other scheme (setDesktopPrefersDark), then our palette of that scheme.
    static void apply(QApplication& app, Theme theme);
    static Theme current();

    // Called once at start, before any apply(): the palette and style the platform gave the application.
    static void rememberDesktop(const QApplication& app);
    // The desktop's colour-scheme preference (the org.freedesktop.appearance color-scheme setting), when known.
    static void setDesktopPrefersDark(std::optional<bool> prefersDark);

    // Our own palettes, for the contrast checks.
    static QPalette lightPalette();
    static QPalette darkPalette();

    // Settings store a theme by name: "system", "light", "dark".
    static QString themeName(Theme theme);
    static Theme themeFromName(const QString& name);

    // True when the window background is dark, whatever set it.
    static bool isDark();

    enum class Role {
        Header,
        Payload,
        Signature,
        OtherSegment,
        Dot,
        Error,
        JsonKey,
        JsonString,
        JsonNumber,
        JsonLiteral,
        JsonPunctuation,
        Critical,
        Warning,
        Info,
        Valid,
        Trace, // the characters the cursor's JSON member came from; text(): its outline
        TraceTint, // the rest of a traced group (base64 shares a group's bits between members)
    };
    // Foreground (text) colour for a role.
    static QColor text(Role role);
    // A background tint for a role, light enough (or dark enough) to keep text readable.
    static QColor background(Role role);
    // Colours a widget for a role: its text and, when it fills its background (autoFillBackground), that too. Info
    // gives it the window's own colours back, so a neutral verdict never keeps the tint of the one before. Every
    // pane colours a verdict through here, so one outcome never looks two ways.
    static void colourWidget(QWidget* widget, Role role);

private:
    static Theme s_theme;
    static std::optional<QPalette> s_desktopPalette;
    static QString s_desktopStyle;
    static std::optional<bool> s_desktopPrefersDark;
};

} // namespace jwti
