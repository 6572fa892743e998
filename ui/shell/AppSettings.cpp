#include "shell/AppSettings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace jwti {

namespace {

const char* const kLeeway = "verify/leewaySeconds";
const char* const kRsaBits = "keys/defaultRsaBits";
const char* const kEcCurve = "keys/defaultEcCurve";
const char* const kHmacBits = "keys/defaultHmacBits";
const char* const kClipboardClear = "privacy/clipboardClearSeconds";
const char* const kLiveTimes = "view/liveRelativeTimes";
const char* const kRecentTokens = "privacy/rememberRecentTokens";
const char* const kRecentFiles = "recent/files";
const char* const kTheme = "view/theme";

// A settings file edited by hand gets the nearest sane value, never a key weaker than the RFCs allow.
int pick(int value, std::initializer_list<int> allowed, int fallback)
{
    for (const int option : allowed) {
        if (option == value)
            return value;
    }
    return fallback;
}

} // namespace

AppSettings AppSettings::load()
{
    const QSettings settings;
    const AppSettings defaults;
    AppSettings loaded;
    loaded.leewaySeconds
        = std::clamp(settings.value(QLatin1String(kLeeway), defaults.leewaySeconds).toInt(), 0, 24 * 3600);
    loaded.rsaBits
        = pick(settings.value(QLatin1String(kRsaBits), defaults.rsaBits).toInt(), {2048, 3072, 4096}, defaults.rsaBits);
    const QString curve = settings.value(QLatin1String(kEcCurve), defaults.ecCurve).toString();
    loaded.ecCurve
        = QStringList{QStringLiteral("P-256"), QStringLiteral("P-384"), QStringLiteral("P-521")}.contains(curve)
        ? curve
        : defaults.ecCurve;
    loaded.hmacBits
        = pick(settings.value(QLatin1String(kHmacBits), defaults.hmacBits).toInt(), {256, 384, 512}, defaults.hmacBits);
    loaded.clipboardClearSeconds
        = std::clamp(settings.value(QLatin1String(kClipboardClear), defaults.clipboardClearSeconds).toInt(), 0, 3600);
    loaded.liveRelativeTimes = settings.value(QLatin1String(kLiveTimes), defaults.liveRelativeTimes).toBool();
    loaded.rememberRecentTokens = settings.value(QLatin1String(kRecentTokens), defaults.rememberRecentTokens).toBool();
    const QString theme = settings.value(QLatin1String(kTheme), defaults.theme).toString();
    loaded.theme
        = QStringList{QStringLiteral("system"), QStringLiteral("light"), QStringLiteral("dark")}.contains(theme)
        ? theme
        : defaults.theme;
    return loaded;
}

void AppSettings::save() const
{
    QSettings settings;
    settings.setValue(QLatin1String(kLeeway), leewaySeconds);
    settings.setValue(QLatin1String(kRsaBits), rsaBits);
    settings.setValue(QLatin1String(kEcCurve), ecCurve);
    settings.setValue(QLatin1String(kHmacBits), hmacBits);
    settings.setValue(QLatin1String(kClipboardClear), clipboardClearSeconds);
    settings.setValue(QLatin1String(kLiveTimes), liveRelativeTimes);
    settings.setValue(QLatin1String(kRecentTokens), rememberRecentTokens);
    settings.setValue(QLatin1String(kTheme), theme);
}

QStringList AppSettings::recentFiles()
{
    return QSettings().value(QLatin1String(kRecentFiles)).toStringList();
}

void AppSettings::addRecentFile(const QString& path)
{
    const QString absolute = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QStringList files = recentFiles();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    QSettings().setValue(QLatin1String(kRecentFiles), files);
}

void AppSettings::clearRecentFiles()
{
    QSettings().remove(QLatin1String(kRecentFiles));
}

} // namespace jwti
