#pragma once

#include "shell/AppSettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace jwti {

// Preferences: claim leeway, default key sizes, clipboard clearing for copied secrets, live relative times, and
// whether recent tokens are remembered (in the keychain) and recent files cleared. It edits an AppSettings value;
// the window saves and applies it when the dialog is accepted.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(const AppSettings& settings, QWidget* parent = nullptr);

    AppSettings settings() const;
    // The user pressed "Clear recent files" (applied by the window on accept).
    bool clearRecentFilesRequested() const { return m_clearRecentFiles; }

private:
    QSpinBox* m_leeway;
    QComboBox* m_rsaBits;
    QComboBox* m_ecCurve;
    QComboBox* m_hmacBits;
    QSpinBox* m_clipboardSeconds;
    QCheckBox* m_liveTimes;
    QCheckBox* m_recentTokens;
    QLabel* m_recentTokensNote;
    QComboBox* m_theme;
    bool m_clearRecentFiles = false;
};

} // namespace jwti
