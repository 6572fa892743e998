#pragma once

#include <QColor>
#include <QPalette>

class QApplication;

namespace jwti {

// The colours every pane shares, chosen for both light and dark window palettes. Colour is never the only signal:
// each segment also has its own underline style and a name in the status bar and tooltips.
class Palette
{
public:
    enum class Theme { System, Light, Dark };

    // Switches the application between the system palette and our light or dark one (Fusion style, so both read
    // the same everywhere).
    static void apply(QApplication& app, Theme theme);
    static Theme current();

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
    };
    // Foreground (text) colour for a role.
    static QColor text(Role role);
    // A background tint for a role, light enough (or dark enough) to keep text readable.
    static QColor background(Role role);

private:
    static Theme s_theme;
};

} // namespace jwti
