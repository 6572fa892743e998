#pragma once

#include "keystore/KeyStore.h"

#include <QVariant>
#include <QWizardPage>

class QLabel;
class QPushButton;

namespace jwti {

// Stores the generated key (or completes the rotation) through the key store, without waiting: the page shows
// "storing…" and then the result. When the keychain refuses, the key stays in memory and the page offers Retry
// and an encrypted export, so nothing is lost. Reads what earlier pages chose from the wizard's fields (rotate,
// rotationSet, generatedKey, keyName, keySet, kid, retireAfterDays) and offers the result as field "storedRecord".
class KeyStoringPage : public QWizardPage
{
    Q_OBJECT
    Q_PROPERTY(QVariant storedRecord READ storedRecordValue NOTIFY storingFinished)

public:
    explicit KeyStoringPage(KeyStore* store, QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    const KeyRecord& storedRecord() const { return m_record; }
    QVariant storedRecordValue() const { return QVariant::fromValue(m_record); }
    // When the replaced key of a rotation stops being verify-only (KeyPolicy retireAfterDate).
    QDateTime retireAfter() const;

signals:
    void storingFinished(bool ok);

private:
    void store();
    void retry();
    void exportEncrypted();
    void onStored(bool ok, const QString& message);
    bool rotating() const;
    NewKeyOptions newKeyOptions() const;
    Key generatedKey() const;

    KeyStore* m_store;
    KeyRecord m_record;
    QDateTime m_storedAt;

    QLabel* m_explanation;
    QLabel* m_status;
    QPushButton* m_retry;
    QPushButton* m_export;
    QString m_pendingId;
    bool m_stored = false;
    bool m_busy = false;
};

} // namespace jwti
