#pragma once

#include "core/crypto/Key.h"
#include "core/crypto/KeyPolicy.h"
#include "keystore/KeyStore.h"

#include <QVariant>
#include <QWizard>

class QButtonGroup;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;
class QStackedWidget;

namespace jwti {

// Generates a key (for signing or for encryption), or rotates a key set, and teaches while doing it: every page says
// in a sentence or two why its choice matters. Generation runs on a worker thread; storing goes through the key
// store's asynchronous calls. The pages share what was chosen through QWizard fields (KeyWizardFields.h).
class KeyWizard : public QWizard
{
    Q_OBJECT
    // The field "keyRequest": what the family and parameter pages (or the rotated set) ask the generation page for.
    Q_PROPERTY(QVariant keyRequest READ keyRequestValue NOTIFY keyRequestChanged)

public:
    enum PageId { StartPage, FamilyPage, ParametersPage, GeneratePage, NamePage, StorePage, SummaryPage };
    enum class Mode { Generate, Rotate };
    // Signing families first, then the encryption ones (JWE key management, RFC 7518 §4).
    enum class Family { Rsa, RsaPss, Ecdsa, EdDsa, Hmac, RsaOaep, Ecdh, AesKeyWrap, Direct, Password };

    explicit KeyWizard(KeyStore* store, QWidget* parent = nullptr);

    // Starts in rotate mode with this set chosen.
    void startRotation(const QString& keySet);

    int nextId() const override;

    KeyStore* store() const { return m_store; }
    Mode mode() const;
    QString rotationSet() const;
    KeyUse chosenUse() const;
    // The alg and what its key needs, from the family and parameter pages (or the rotated set's active key).
    KeyRequest keyRequest() const;
    QVariant keyRequestValue() const { return QVariant::fromValue(keyRequest()); }
    QString chosenAlg() const { return keyRequest().alg; }

    Key generatedKey() const;
    KeyRecord storedRecord() const;

signals:
    void keyRequestChanged();

private:
    QWizardPage* makeStartPage();
    QWizardPage* makeFamilyPage();
    QWizardPage* makeParametersPage();
    QWizardPage* makeNamePage();
    QWizardPage* makeSummaryPage();
    Family family() const;
    static KeyUse useOf(Family family);
    void updateParameterExplanation();
    void updateEncryptionParameters();
    void updateFamilies();
    void initializeNamePage();
    void initializeSummaryPage();
    void exportFromSummary(const QString& format);

    KeyStore* m_store;

    QRadioButton* m_generateRadio = nullptr;
    QRadioButton* m_rotateRadio = nullptr;
    QComboBox* m_rotateSet = nullptr;
    QLabel* m_rotateInfo = nullptr;
    QRadioButton* m_useSigning = nullptr;
    QRadioButton* m_useEncryption = nullptr;
    QWidget* m_signingFamilies = nullptr;
    QWidget* m_encryptionFamilies = nullptr;
    QButtonGroup* m_families = nullptr;
    QStackedWidget* m_parameterStack = nullptr;
    QComboBox* m_rsaBits = nullptr;
    QComboBox* m_rsaHash = nullptr;
    QComboBox* m_ecCurve = nullptr;
    QComboBox* m_hmacBits = nullptr;
    QFormLayout* m_encryptionForm = nullptr;
    QComboBox* m_encAlg = nullptr;
    QComboBox* m_encRsaBits = nullptr;
    QComboBox* m_encCurve = nullptr;
    QComboBox* m_encEnc = nullptr;
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
