#pragma once

#include <QWizardPage>

class QLabel;
class QPushButton;

namespace jwti {

// Stores the generated key (or completes the rotation) through the key store, without waiting: the page shows
// "storing…" and then the result. When the keychain refuses, the key stays in memory and the page offers Retry
// and an encrypted export, so nothing is lost.
class KeyStoringPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit KeyStoringPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

signals:
    void storingFinished(bool ok);

private:
    void store();
    void retry();
    void exportEncrypted();
    void onStored(bool ok, const QString& message);

    QLabel* m_explanation;
    QLabel* m_status;
    QPushButton* m_retry;
    QPushButton* m_export;
    QString m_pendingId;
    bool m_stored = false;
    bool m_busy = false;
};

} // namespace jwti
