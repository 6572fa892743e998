#pragma once

#include <QObject>

class QDBusVariant;

namespace jwti {

// Follows the desktop's light or dark preference, as freedesktop portals publish it (the org.freedesktop.appearance
// color-scheme setting: 0 no preference, 1 dark, 2 light). Qt 6.4 has no QStyleHints::colorScheme, and a plain X
// session hands Qt a light palette whatever the desktop prefers. The portal is asked without blocking; with no
// portal on the bus, the palette Qt was given at start decides (Palette::rememberDesktop).
class DesktopColorScheme : public QObject
{
    Q_OBJECT

public:
    explicit DesktopColorScheme(QObject* parent = nullptr);

    // Asks once and listens for changes; each answer is applied when the theme follows the desktop.
    void start();

private slots:
    void onSettingChanged(const QString& group, const QString& key, const QDBusVariant& value);

private:
    void apply(uint scheme);
};

} // namespace jwti
