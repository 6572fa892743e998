#pragma once

#include <QString>
#include <QStringList>

namespace jwti {

// The user's preferences, as a value: load() reads them from QSettings, save() writes them back. Nothing here is
// secret, and nothing secret may ever be added: QSettings is a plain file. (Recent tokens, when the user turns them
// on, live in the system keychain: see RecentTokens.)
struct AppSettings
{
    int leewaySeconds = 0; // exp/nbf/iat leeway the verify panel starts with (RFC 7519 §4.1.4 "small leeway")
    int rsaBits = 2048; // default modulus for new RSA keys (RFC 7518 §3.3 minimum; widest support)
    QString ecCurve = QStringLiteral("P-256"); // default curve for new EC keys
    int hmacBits = 256; // default size of new HMAC secrets
    int clipboardClearSeconds = 30; // a secret copied to the clipboard is removed after this long; 0: never
    bool liveRelativeTimes = true; // "expires in 14 min" ticks every second
    bool rememberRecentTokens = false; // tokens are credentials: off unless the user turns it on
    QString theme = QStringLiteral("system"); // "system" (follow the desktop), "light" or "dark"

    static constexpr int kMaxRecentFiles = 10;

    static AppSettings load();
    void save() const;

    // Files opened recently, newest first (paths only; a file's content is never kept).
    static QStringList recentFiles();
    static void addRecentFile(const QString& path);
    static void clearRecentFiles();

    friend bool operator==(const AppSettings&, const AppSettings&) = default;
};

} // namespace jwti
