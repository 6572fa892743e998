#pragma once

#include <QDialog>

namespace jwti {

// What this build is and runs with (for bug reports: the versions can be copied), where keys live, and the licences.
class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AboutDialog(QWidget* parent = nullptr);

    // The version lines shown, as plain text ("JWT Inspector 0.1.0", "Qt 6.4.2 (built with 6.4.2)", …).
    static QString versionReport();
};

} // namespace jwti
