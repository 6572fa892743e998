#pragma once

#include "core/crypto/Key.h"
#include "core/crypto/KeyGeneration.h"
#include "keystore/KeyStore.h"

#include <QWizard>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;
class QStackedWidget;

namespace jwti {

// Generates a key, or rotates a key set, and teaches while doing it: every page says in a sentence or two why
// its choice matters. Generation runs on a worker thread; storing goes through the key store's asynchronous calls.
class KeyWizard : public QWizard
{
    Q_OBJECT

public:
    enum PageId { StartPage, FamilyPage, ParametersPage, GeneratePage, NamePage, StorePage, SummaryPage };
    enum class Mode { Generate, Rotate };
    enum class Family { Rsa, RsaPss, Ecdsa, EdDsa, Hmac };

    explicit KeyWizard(KeyStore* store, QWidget* parent = nullptr);

    // Starts in rotate mode with this set chosen.
    void startRotation(const QString& keySet);

    int nextId() const override;

    KeyStore* store() const { return m_store; }
    Mode mode() const;
    QString rotationSet() const;
    // The alg and the key it needs, from the family and parameter pages (or the rotated set's active key).
    QString chosenAlg() const;
    Result<KeySpec> chosenSpec() const;

    void setGeneratedKey(const Key& key) { m_key = key; }
    const Key& generatedKey() const { return m_key; }
    NewKeyOptions nameOptions() const;
    QDateTime retireAfter() const;
    void setStoredRecord(const KeyRecord& record) { m_stored = record; }
    const KeyRecord& storedRecord() const { return m_stored; }

private:
    QWizardPage* makeStartPage();
    QWizardPage* makeFamilyPage();
    QWizardPage* makeParametersPage();
    QWizardPage* makeNamePage();
    QWizardPage* makeSummaryPage();
    Family family() const;
    void updateParameterExplanation();
    void initializeNamePage();
    void initializeSummaryPage();
    void exportFromSummary(const QString& format);

    KeyStore* m_store;
    Key m_key;
    KeyRecord m_stored;

    QRadioButton* m_generateRadio = nullptr;
    QRadioButton* m_rotateRadio = nullptr;
    QComboBox* m_rotateSet = nullptr;
    QLabel* m_rotateInfo = nullptr;
    QButtonGroup* m_families = nullptr;
    QStackedWidget* m_parameterStack = nullptr;
    QComboBox* m_rsaBits = nullptr;
    QComboBox* m_rsaHash = nullptr;
    QComboBox* m_ecCurve = nullptr;
    QComboBox* m_hmacBits = nullptr;
    QLabel* m_parameterExplanation = nullptr;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_keySet = nullptr;
    QLineEdit* m_kid = nullptr;
    QLabel* m_kidExplanation = nullptr;
    QSpinBox* m_retireDays = nullptr;
    QLabel* m_retireLabel = nullptr;
    QWidget* m_retireRow = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_summaryStatus = nullptr;
};

} // namespace jwti
