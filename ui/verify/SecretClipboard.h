#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

namespace jwti {

// Puts a secret on the clipboard only because the user asked, and takes it off again: after the configured number
// of seconds (AppSettings::clipboardClearSeconds) and when the application quits, but only if the clipboard still
// holds that secret (what the user copied since is left alone). The secret itself is not kept to compare with, only
// its SHA-256. Clipboard managers are asked not to record it (x-kde-passwordManagerHint, which KDE's Klipper and
// several others honour).
class SecretClipboard : public QObject
{
    Q_OBJECT

public:
    static SecretClipboard& instance();

    // clearAfterSeconds 0: leave it there (the user turned clearing off).
    void copy(const QString& secret, int clearAfterSeconds);
    bool isClearPending() const { return m_timer.isActive(); }
    int remainingSeconds() const;
    // Clears now when the clipboard still holds the secret; true when it did.
    bool clearNow();

signals:
    void cleared();

private:
    SecretClipboard();

    QTimer m_timer;
    QByteArray m_digest;
};

} // namespace jwti
