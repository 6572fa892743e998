#include "keys/KeyWizard.h"

#include "core/crypto/ContentEncryption.h"
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyManagement.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Jwk.h"
#include "keys/KeyGenerationPage.h"
#include "keys/KeyPrompts.h"
#include "keys/KeyStoringPage.h"
#include "keys/KeyWizardFields.h"
#include "shell/AppSettings.h"
#include "shell/FileDialogs.h"
#include "shell/WindowPlacement.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace jwti {

namespace {

// A page whose fields the wizard registers for it (QWizardPage::registerField is protected).
class FieldPage : public QWizardPage
{
public:
    using QWizardPage::QWizardPage;
    using QWizardPage::registerField;
};

QString fieldName(const char* name)
{
    return QLatin1String(name);
}

QLabel* explanationLabel(const QString& text, const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}

QLabel* hintLabel(const QString& text, QWidget* parent)
{
    auto* label = explanationLabel(text, {}, parent);
    label->setIndent(24);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

KeyWizard::KeyWizard(KeyStore* store, QWidget* parent)
    : QWizard(parent)
    , m_store(store)
{
    setObjectName(QStringLiteral("keyWizard"));
    setWindowTitle(tr("New key"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    // A disabled Back on the first page still looks like a button to press.
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setPage(StartPage, makeStartPage());
    setPage(FamilyPage, makeFamilyPage());
    setPage(ParametersPage, makeParametersPage());
    setPage(GeneratePage, new KeyGenerationPage(this));
    setPage(NamePage, makeNamePage());
    setPage(StorePage, new KeyStoringPage(m_store, this));
    setPage(SummaryPage, makeSummaryPage());
    setStartId(StartPage);
    WindowPlacement::fitOnScreen(this, QSize(640, 480));
    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        if (id == NamePage) {
            initializeNamePage();
            setButtonText(QWizard::CommitButton, mode() == Mode::Rotate ? tr("&Rotate") : tr("&Store"));
        } else if (id == SummaryPage)
            initializeSummaryPage();
        else if (id == ParametersPage)
            updateParameterExplanation();
        // Leaving the store page backwards would store twice; the key is stored or pending by then.
        button(QWizard::BackButton)->setEnabled(id != StorePage && id != SummaryPage);
    });
}

QWizardPage* KeyWizard::makeStartPage()
{
    auto* page = new FieldPage(this);
    page->setTitle(tr("What would you like to do?"));
    m_generateRadio = new QRadioButton(tr("Generate a new key"), page);
    m_generateRadio->setObjectName(QStringLiteral("startGenerate"));
    m_rotateRadio = new QRadioButton(tr("Rotate a key set"), page);
    m_rotateRadio->setObjectName(QStringLiteral("startRotate"));
    m_rotateSet = new QComboBox(page);
    m_rotateSet->setObjectName(QStringLiteral("rotateSet"));
    m_rotateInfo = new QLabel(page);
    m_rotateInfo->setObjectName(QStringLiteral("rotateInfo"));
    m_rotateInfo->setWordWrap(true);
    m_generateRadio->setChecked(true);
    for (const QString& set : m_store->keySets()) {
        if (m_store->activeKey(set))
            m_rotateSet->addItem(set);
    }
    m_rotateRadio->setEnabled(m_rotateSet->count() > 0);
    m_rotateSet->setEnabled(false);
    page->registerField(fieldName(KeyWizardFields::kRotate), m_rotateRadio);
    page->registerField(fieldName(KeyWizardFields::kRotationSet), m_rotateSet, "currentText",
                        SIGNAL(currentTextChanged(QString)));
    auto showActive = [this] {
        const auto active = m_store->activeKey(m_rotateSet->currentText());
        m_rotateInfo->setText(active ? tr("Active key: \"%1\", %2, kid %3.").arg(active->name, active->alg, active->kid)
                                     : QString());
        emit keyRequestChanged();
    };
    connect(m_rotateRadio, &QRadioButton::toggled, m_rotateSet, &QComboBox::setEnabled);
    connect(m_rotateSet, &QComboBox::currentTextChanged, this, showActive);
    showActive();

    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_generateRadio);
    layout->addWidget(hintLabel(tr("A fresh key pair (or secret) for signing tokens or for receiving encrypted ones, "
                                   "kept in your system keychain. Its public half can be published as a JWKS."),
                                page));
    layout->addSpacing(8);
    layout->addWidget(m_rotateRadio);
    auto* setRow = new QHBoxLayout;
    setRow->addSpacing(24);
    setRow->addWidget(new QLabel(tr("Key set:"), page));
    setRow->addWidget(m_rotateSet, 1);
    layout->addLayout(setRow);
    layout->addWidget(m_rotateInfo);
    layout->addWidget(
        hintLabel(tr("Rotation limits how long a leaked or weakened key stays useful. A new key of the same algorithm "
                     "starts signing (or receiving encrypted tokens); the old one stays in the set's JWKS as "
                     "verify-only, so tokens it already signed keep verifying until they expire. Then you retire it."),
                  page));
    layout->addStretch();
    return page;
}

QWizardPage* KeyWizard::makeFamilyPage()
{
    auto* page = new QWizardPage(this);
    page->setTitle(tr("Use and algorithm family"));
    m_families = new QButtonGroup(page);
    auto* layout = new QVBoxLayout(page);
    // An introduction in the page, not a subtitle: ClassicStyle draws pages with a subtitle in another header style.
    layout->addWidget(explanationLabel(tr("A key either signs tokens (JWS) or lets others encrypt tokens to you (JWE), "
                                          "never both. Who verifies or encrypts decides the family: anyone with the "
                                          "public key (asymmetric) or only those who share the secret."),
                                       QStringLiteral("familyIntro"), page));
    m_useSigning = new QRadioButton(tr("&Signing"), page);
    m_useSigning->setObjectName(QStringLiteral("useSigning"));
    m_useEncryption = new QRadioButton(tr("&Encryption"), page);
    m_useEncryption->setObjectName(QStringLiteral("useEncryption"));
    auto* useGroup = new QButtonGroup(page);
    useGroup->addButton(m_useSigning);
    useGroup->addButton(m_useEncryption);
    m_useSigning->setChecked(true);
    auto* useRow = new QHBoxLayout;
    useRow->addWidget(new QLabel(tr("Use:"), page));
    useRow->addWidget(m_useSigning);
    useRow->addWidget(m_useEncryption);
    useRow->addStretch();
    layout->addLayout(useRow);
    layout->addSpacing(4);

    struct Choice
    {
        Family family;
        const char* objectName;
        QString title;
        QString why;
    };
    const Choice signing[] = {
        {Family::Rsa, "familyRsa", tr("RSA (RS256, RS384, RS512)"),
         tr("The most widely supported: every JWT library verifies RS256. Keys and signatures are large (256 bytes "
            "at 2048 bits).")},
        {Family::RsaPss, "familyPss", tr("RSA-PSS (PS256, PS384, PS512)"),
         tr("The same RSA keys with the modern, provably secure padding; a little less widely supported.")},
        {Family::Ecdsa, "familyEc", tr("ECDSA (ES256, ES384, ES512)"),
         tr("Small keys and 64-byte signatures (ES256) at strength like RSA-3072; fast to generate. Each signature "
            "needs fresh randomness, which OpenSSL provides.")},
        {Family::EdDsa, "familyEd", tr("EdDSA (Ed25519)"),
         tr("Small, fast and deterministic: no per-signature randomness to get wrong. Newer, so check your "
            "verifiers support it.")},
        {Family::Hmac, "familyHmac", tr("HMAC (HS256, HS384, HS512)"),
         tr("One shared secret signs and verifies. Simple and fast, but every verifier can also forge tokens, and "
            "the secret can never be published.")},
    };
    const Choice encryption[] = {
        {Family::RsaOaep, "familyRsaOaep", tr("RSA-OAEP (RSA-OAEP-256, RSA-OAEP)"),
         tr("Senders encrypt to your public RSA key; only your private key opens the token. The most widely "
            "supported choice for receiving encrypted ID tokens.")},
        {Family::Ecdh, "familyEcdh", tr("ECDH-ES (P-256, P-384, P-521, X25519, X448)"),
         tr("Each token carries a fresh ephemeral key; with your private key it agrees on the content key. Small "
            "keys and tokens.")},
        {Family::AesKeyWrap, "familyAesKw", tr("AES key wrap (A128KW … A256GCMKW)"),
         tr("A shared AES key wraps each token's content key. Both sides hold the same secret.")},
        {Family::Direct, "familyDir", tr("Direct (dir)"),
         tr("The shared secret is the content key itself: no key wrapping, so every token uses the same key.")},
        {Family::Password, "familyPbes2", tr("Password (PBES2)"),
         tr("A password, stretched with PBKDF2, wraps the content key. A random password is generated; it stays "
            "in the keychain like any secret.")},
    };
    auto addChoices = [&](QWidget* box, const auto& choices) {
        auto* boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        for (const Choice& choice : choices) {
            auto* radio = new QRadioButton(choice.title, box);
            radio->setObjectName(QLatin1String(choice.objectName));
            m_families->addButton(radio, int(choice.family));
            boxLayout->addWidget(radio);
            boxLayout->addWidget(hintLabel(choice.why, box));
        }
    };
    m_signingFamilies = new QWidget(page);
    addChoices(m_signingFamilies, signing);
    m_encryptionFamilies = new QWidget(page);
    addChoices(m_encryptionFamilies, encryption);
    layout->addWidget(m_signingFamilies);
    layout->addWidget(m_encryptionFamilies);
    m_families->button(int(Family::Ecdsa))->setChecked(true);
    layout->addStretch();
    connect(m_useSigning, &QRadioButton::toggled, this, &KeyWizard::updateFamilies);
    connect(m_families, &QButtonGroup::idToggled, this, [this](int, bool checked) {
        if (!checked)
            return;
        updateParameterExplanation();
        emit keyRequestChanged();
    });
    updateFamilies();
    return page;
}

void KeyWizard::updateFamilies()
{
    const KeyUse use = m_useSigning->isChecked() ? KeyUse::Signing : KeyUse::Encryption;
    m_signingFamilies->setVisible(use == KeyUse::Signing);
    m_encryptionFamilies->setVisible(use == KeyUse::Encryption);
    // The chosen family follows the use: the first (or the usual) family of the other use when it changes.
    if (useOf(family()) != use)
        m_families->button(int(use == KeyUse::Signing ? Family::Ecdsa : Family::RsaOaep))->setChecked(true);
    emit keyRequestChanged();
}

KeyUse KeyWizard::useOf(Family family)
{
    return int(family) >= int(Family::RsaOaep) ? KeyUse::Encryption : KeyUse::Signing;
}

QWizardPage* KeyWizard::makeParametersPage()
{
    auto* page = new FieldPage(this);
    page->setTitle(tr("Parameters"));
    m_parameterStack = new QStackedWidget(page);

    auto* rsa = new QWidget(m_parameterStack);
    auto* rsaForm = new QFormLayout(rsa);
    m_rsaBits = new QComboBox(rsa);
    m_rsaBits->setObjectName(QStringLiteral("rsaBits"));
    m_rsaBits->addItem(tr("2048 bits"), 2048);
    m_rsaBits->addItem(tr("3072 bits"), 3072);
    m_rsaBits->addItem(tr("4096 bits"), 4096);
    m_rsaHash = new QComboBox(rsa);
    m_rsaHash->setObjectName(QStringLiteral("rsaHash"));
    m_rsaHash->addItem(QStringLiteral("SHA-256"), 256);
    m_rsaHash->addItem(QStringLiteral("SHA-384"), 384);
    m_rsaHash->addItem(QStringLiteral("SHA-512"), 512);
    rsaForm->addRow(tr("Modulus size:"), m_rsaBits);
    rsaForm->addRow(tr("Hash:"), m_rsaHash);
    m_parameterStack->addWidget(rsa);

    auto* ec = new QWidget(m_parameterStack);
    auto* ecForm = new QFormLayout(ec);
    m_ecCurve = new QComboBox(ec);
    m_ecCurve->setObjectName(QStringLiteral("ecCurve"));
    m_ecCurve->addItem(tr("P-256 (ES256)"), QStringLiteral("ES256"));
    m_ecCurve->addItem(tr("P-384 (ES384)"), QStringLiteral("ES384"));
    m_ecCurve->addItem(tr("P-521 (ES512)"), QStringLiteral("ES512"));
    ecForm->addRow(tr("Curve:"), m_ecCurve);
    m_parameterStack->addWidget(ec);

    auto* ed = new QWidget(m_parameterStack);
    auto* edLayout = new QVBoxLayout(ed);
    edLayout->addWidget(new QLabel(tr("Curve: Ed25519 (alg EdDSA). There is nothing to choose."), ed));
    m_parameterStack->addWidget(ed);

    auto* hmac = new QWidget(m_parameterStack);
    auto* hmacForm = new QFormLayout(hmac);
    m_hmacBits = new QComboBox(hmac);
    m_hmacBits->setObjectName(QStringLiteral("hmacBits"));
    m_hmacBits->addItem(tr("256 bits (HS256)"), 256);
    m_hmacBits->addItem(tr("384 bits (HS384)"), 384);
    m_hmacBits->addItem(tr("512 bits (HS512)"), 512);
    hmacForm->addRow(tr("Secret size:"), m_hmacBits);
    m_parameterStack->addWidget(hmac);

    auto* encryption = new QWidget(m_parameterStack);
    m_encryptionForm = new QFormLayout(encryption);
    m_encAlg = new QComboBox(encryption);
    m_encAlg->setObjectName(QStringLiteral("encAlg"));
    m_encRsaBits = new QComboBox(encryption);
    m_encRsaBits->setObjectName(QStringLiteral("encRsaBits"));
    for (const int bits : {2048, 3072, 4096})
        m_encRsaBits->addItem(tr("%1 bits").arg(bits), bits);
    m_encCurve = new QComboBox(encryption);
    m_encCurve->setObjectName(QStringLiteral("encCurve"));
    for (const char* curve : {"P-256", "P-384", "P-521", "X25519", "X448"})
        m_encCurve->addItem(QLatin1String(curve), QLatin1String(curve));
    m_encEnc = new QComboBox(encryption);
    m_encEnc->setObjectName(QStringLiteral("encEnc"));
    for (const EncInfo& enc : allEncs())
        m_encEnc->addItem(tr("%1 (%2-bit key)").arg(enc.displayName()).arg(enc.cekBytes * 8), enc.displayName());
    m_encryptionForm->addRow(tr("Algorithm:"), m_encAlg);
    m_encryptionForm->addRow(tr("Modulus size:"), m_encRsaBits);
    m_encryptionForm->addRow(tr("Curve:"), m_encCurve);
    m_encryptionForm->addRow(tr("Content encryption:"), m_encEnc);
    m_parameterStack->addWidget(encryption);

    m_parameterExplanation = explanationLabel({}, QStringLiteral("parametersExplanation"), page);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_parameterStack);
    layout->addWidget(m_parameterExplanation);
    layout->addStretch();
    // The defaults the user chose in Settings.
    const AppSettings defaults = AppSettings::load();
    const QString curveAlg = defaults.ecCurve == QLatin1String("P-521") ? QStringLiteral("ES512")
        : defaults.ecCurve == QLatin1String("P-384")                    ? QStringLiteral("ES384")
                                                                        : QStringLiteral("ES256");
    m_rsaBits->setCurrentIndex(std::max(0, m_rsaBits->findData(defaults.rsaBits)));
    m_ecCurve->setCurrentIndex(std::max(0, m_ecCurve->findData(curveAlg)));
    m_hmacBits->setCurrentIndex(std::max(0, m_hmacBits->findData(defaults.hmacBits)));
    m_encRsaBits->setCurrentIndex(std::max(0, m_encRsaBits->findData(defaults.rsaBits)));
    m_encCurve->setCurrentIndex(std::max(0, m_encCurve->findData(defaults.ecCurve)));
    for (QComboBox* combo :
         {m_rsaBits, m_rsaHash, m_ecCurve, m_hmacBits, m_encAlg, m_encRsaBits, m_encCurve, m_encEnc}) {
        connect(combo, &QComboBox::currentIndexChanged, this, [this, combo] {
            if (combo == m_encAlg)
                updateParameterExplanation();
            emit keyRequestChanged();
        });
    }
    for (QComboBox* combo : {m_rsaBits, m_rsaHash, m_ecCurve, m_hmacBits})
        connect(combo, &QComboBox::currentIndexChanged, this, &KeyWizard::updateParameterExplanation);
    updateParameterExplanation();
    page->registerField(fieldName(KeyWizardFields::kKeyRequest), this, "keyRequest", SIGNAL(keyRequestChanged()));
    return page;
}

void KeyWizard::updateParameterExplanation()
{
    if (!m_parameterStack)
        return; // the family page is made first
    switch (family()) {
    case Family::Rsa:
    case Family::RsaPss:
        m_parameterStack->setCurrentIndex(0);
        m_parameterExplanation->setText(
            m_rsaBits->currentData().toInt() == 2048
                ? tr("2048 bits is the minimum RFC 7518 §3.3 allows and is expected to hold until about 2030. "
                     "Larger keys last longer but sign more slowly and take longer to generate.")
                : tr("%1 bits buys a longer safe life (NIST rates 3072 bits like a 128-bit symmetric key) at the "
                     "cost of slower signing, larger signatures and a generation that can take seconds.")
                      .arg(m_rsaBits->currentData().toInt()));
        break;
    case Family::Ecdsa:
        m_parameterStack->setCurrentIndex(1);
        m_parameterExplanation->setText(
            tr("P-256 with SHA-256 (ES256) gives about 128-bit security and is what most verifiers expect. P-384 "
               "and P-521 are for policies that require more; their signatures are 96 and 132 bytes."));
        break;
    case Family::EdDsa:
        m_parameterStack->setCurrentIndex(2);
        m_parameterExplanation->setText(tr("Ed25519 gives about 128-bit security with 32-byte keys and 64-byte "
                                           "signatures (RFC 8037)."));
        break;
    case Family::Hmac:
        m_parameterStack->setCurrentIndex(3);
        m_parameterExplanation->setText(
            tr("The secret is drawn from the system's random generator. RFC 7518 §3.2 requires a secret at least as "
               "long as the hash, so each size matches its algorithm."));
        break;
    case Family::RsaOaep:
    case Family::Ecdh:
    case Family::AesKeyWrap:
    case Family::Direct:
    case Family::Password:
        updateEncryptionParameters();
        break;
    }
}

void KeyWizard::updateEncryptionParameters()
{
    m_parameterStack->setCurrentIndex(4);
    const Family chosen = family();
    // The algs of the family, read from the JWE key-management table; the choice is kept when it still fits.
    const QString previous = m_encAlg->currentData().toString();
    QStringList algs;
    for (const QString& name : algNamesForUse(KeyUse::Encryption)) {
        const KeyManagementInfo* alg = findKeyManagement(name);
        const bool fits = (chosen == Family::RsaOaep && alg->mode == KeyManagementMode::RsaOaep)
            || (chosen == Family::Ecdh && alg->isEcdh())
            || (chosen == Family::AesKeyWrap
                && (alg->mode == KeyManagementMode::AesKeyWrap || alg->mode == KeyManagementMode::AesGcmKeyWrap))
            || (chosen == Family::Direct && alg->mode == KeyManagementMode::Direct)
            || (chosen == Family::Password && alg->mode == KeyManagementMode::Pbes2);
        if (fits)
            algs << name;
    }
    QStringList shown;
    for (int i = 0; i < m_encAlg->count(); ++i)
        shown << m_encAlg->itemData(i).toString();
    if (shown != algs) {
        const QSignalBlocker blocker(m_encAlg);
        m_encAlg->clear();
        for (const QString& name : algs)
            m_encAlg->addItem(name, name);
        // RFC 7518 §4.3: RSA-OAEP-256 over the SHA-1 RSA-OAEP when both are there.
        const int preferred = m_encAlg->findData(
            previous.isEmpty() || !algs.contains(previous) ? QStringLiteral("RSA-OAEP-256") : previous);
        m_encAlg->setCurrentIndex(std::max(0, preferred));
    }
    m_encryptionForm->setRowVisible(m_encRsaBits, chosen == Family::RsaOaep);
    m_encryptionForm->setRowVisible(m_encCurve, chosen == Family::Ecdh);
    m_encryptionForm->setRowVisible(m_encEnc, chosen == Family::Direct);
    m_encryptionForm->setRowVisible(m_encAlg, m_encAlg->count() > 1);
    switch (chosen) {
    case Family::RsaOaep:
        m_parameterExplanation->setText(
            tr("RSA-OAEP-256 pads with SHA-256; RSA-OAEP with SHA-1, for peers that know nothing newer. RFC 7518 §4.3 "
               "requires at least 2048 bits."));
        break;
    case Family::Ecdh:
        m_parameterExplanation->setText(
            tr("ECDH-ES uses the agreed key as the content key; ECDH-ES+A128KW (and larger) wraps a random content "
               "key with it, which several recipients need. X25519 is small and fast; P-256 the most supported."));
        break;
    case Family::AesKeyWrap:
        m_parameterExplanation->setText(
            tr("The key's size is the algorithm's: 128, 192 or 256 bits. The GCM variants add an authentication tag "
               "to the wrapped key."));
        break;
    case Family::Direct:
        m_parameterExplanation->setText(
            tr("A dir key is the content key of one content encryption, so its length is that encryption's."));
        break;
    case Family::Password:
        m_parameterExplanation->setText(
            tr("A 256-bit random password, written as 43 characters you can type elsewhere. The HMAC and wrap size "
               "follow the algorithm's name."));
        break;
    default:
        break;
    }
}

QWizardPage* KeyWizard::makeNamePage()
{
    auto* page = new FieldPage(this);
    page->setTitle(tr("Name, key set and kid"));
    // Leaving this page stores the key: past it there is no way back, so the store can never run twice (a second
    // run would report a duplicate kid after the first had stored the key). completeChanged re-enables Back on
    // later pages unless the page before them is a commit page.
    page->setCommitPage(true);
    auto* intro = explanationLabel(tr("The name is for you. The key set groups the keys one issuer publishes "
                                      "together as a JWKS. The kid goes into each token's header so verifiers can "
                                      "pick the right key."),
                                   QStringLiteral("nameIntro"), page);
    m_name = new QLineEdit(page);
    m_name->setObjectName(QStringLiteral("keyName"));
    m_keySet = new QLineEdit(page);
    m_keySet->setObjectName(QStringLiteral("keySet"));
    m_kid = new QLineEdit(page);
    m_kid->setObjectName(QStringLiteral("keyKid"));
    m_kidExplanation = explanationLabel({}, QStringLiteral("kidExplanation"), page);
    m_retireDays = new QSpinBox(page);
    m_retireDays->setObjectName(QStringLiteral("retireAfterDays"));
    m_retireDays->setRange(0, kMaxRetireAfterDays);
    m_retireDays->setValue(kDefaultRetireAfterDays);
    m_retireDays->setSuffix(tr(" days"));
    m_retireLabel = explanationLabel(tr("The old key stays verify-only until then: choose at least the lifetime of "
                                        "the longest-lived token it signed."),
                                     QStringLiteral("retireExplanation"), page);
    // Wrapped explanations sit outside the form layouts, which do not give word-wrapped rows their full height.
    auto* form = new QFormLayout;
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Key set:"), m_keySet);
    form->addRow(tr("kid:"), m_kid);
    auto* retireForm = new QFormLayout;
    retireForm->addRow(tr("Retire the old key after:"), m_retireDays);
    m_retireRow = new QWidget(page);
    m_retireRow->setLayout(retireForm);
    retireForm->setContentsMargins(0, 0, 0, 0);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_kidExplanation);
    layout->addSpacing(8);
    layout->addWidget(m_retireRow);
    layout->addWidget(m_retireLabel);
    layout->addStretch();
    page->registerField(fieldName(KeyWizardFields::kKeyName), m_name);
    page->registerField(fieldName(KeyWizardFields::kKeySet), m_keySet);
    page->registerField(fieldName(KeyWizardFields::kKid), m_kid);
    page->registerField(fieldName(KeyWizardFields::kRetireAfterDays), m_retireDays);
    return page;
}

void KeyWizard::initializeNamePage()
{
    const bool rotating = mode() == Mode::Rotate;
    const QString defaultSet
        = chosenUse() == KeyUse::Signing ? QStringLiteral("default") : QStringLiteral("encryption");
    m_keySet->setText(rotating ? rotationSet() : (m_keySet->text().isEmpty() ? defaultSet : m_keySet->text()));
    m_keySet->setReadOnly(rotating);
    if (rotating) {
        // The next key of the same set: read as such beside the one it replaces.
        const auto active = m_store->activeKey(rotationSet());
        m_name->setText(rotatedKeyName(rotationSet(), active ? active->name : QString(), QDate::currentDate()));
    } else if (m_name->text().isEmpty()) {
        m_name->setText(tr("%1 key").arg(chosenAlg()));
    }
    m_retireRow->setVisible(rotating);
    m_retireLabel->setVisible(rotating);
    const Key key = generatedKey();
    if (kidDefaultsToThumbprint(key)) {
        m_kid->setText(defaultKid(key));
        m_kidExplanation->setText(tr("The default is the key's RFC 7638 thumbprint: a hash of the public key, unique "
                                     "to it, that anyone can recompute."));
    } else {
        m_kid->clear();
        m_kid->setPlaceholderText(tr("a random id"));
        m_kidExplanation->setText(tr("A secret gets a random kid: its RFC 7638 thumbprint would be a hash of the "
                                     "secret, which anyone who sees a token could test guesses against."));
    }
}

QWizardPage* KeyWizard::makeSummaryPage()
{
    auto* page = new QWizardPage(this);
    page->setTitle(tr("Done"));
    m_summary = explanationLabel({}, QStringLiteral("summaryText"), page);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summaryStatus = explanationLabel({}, QStringLiteral("summaryStatus"), page);
    auto* pem = new QPushButton(tr("Export public key (PEM)…"), page);
    pem->setObjectName(QStringLiteral("summaryExportPem"));
    auto* jwk = new QPushButton(tr("Export public JWK…"), page);
    jwk->setObjectName(QStringLiteral("summaryExportJwk"));
    auto* jwks = new QPushButton(tr("Export the set's JWKS…"), page);
    jwks->setObjectName(QStringLiteral("summaryExportJwks"));
    connect(pem, &QPushButton::clicked, this, [this] { exportFromSummary(QStringLiteral("pem")); });
    connect(jwk, &QPushButton::clicked, this, [this] { exportFromSummary(QStringLiteral("jwk")); });
    connect(jwks, &QPushButton::clicked, this, [this] { exportFromSummary(QStringLiteral("jwks")); });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(pem);
    buttons->addWidget(jwk);
    buttons->addWidget(jwks);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_summary);
    layout->addLayout(buttons);
    layout->addWidget(m_summaryStatus);
    layout->addStretch();
    return page;
}

void KeyWizard::initializeSummaryPage()
{
    const KeyRecord record = storedRecord();
    QString text
        = tr("Name: %1\nKey set: %2\nUse: %3\nAlgorithm: %4\nkid: %5\nStatus: %6\n%7")
              .arg(record.name, record.keySet, record.use == KeyUse::Signing ? tr("signing") : tr("encryption"),
                   record.alg, record.kid, keyStatusName(record.status), record.description);
    // The replaced key's record says when it retires, as the store wrote it.
    const auto replaced = record.rotatedFrom.isEmpty() ? std::nullopt : m_store->record(record.rotatedFrom);
    if (mode() == Mode::Rotate && replaced) {
        text += (record.use == KeyUse::Signing
                     ? tr("\n\nPublish the set's JWKS now: it holds the new key and the old one, which stays "
                          "verify-only until %1. Sign new tokens with the new key; retire the old one after that date.")
                     : tr("\n\nPublish the set's JWKS now: senders encrypt to the new key; the old one still opens "
                          "tokens encrypted to it until %1. Retire it after that date."))
                    .arg(replaced->retireAfter.toLocalTime().toString(Qt::ISODate));
    }
    m_summary->setText(text);
    const bool publicHalf = !record.isSecret();
    for (const char* name : {"summaryExportPem", "summaryExportJwk", "summaryExportJwks"}) {
        if (auto* button = page(SummaryPage)->findChild<QPushButton*>(QLatin1String(name)))
            button->setEnabled(publicHalf);
    }
    if (!publicHalf)
        m_summaryStatus->setText(tr("A secret has no public half to publish; it stays in the keychain."));
}

void KeyWizard::exportFromSummary(const QString& format)
{
    QByteArray bytes;
    QString suggested;
    if (format == QLatin1String("jwks")) {
        const KeyRecord record = storedRecord();
        bytes = m_store->keySetJwks(record.keySet);
        suggested = QStringLiteral("%1-jwks.json").arg(record.keySet);
    } else {
        const auto key = storedRecord().publicKey();
        if (!key) {
            m_summaryStatus->setText(key.message());
            return;
        }
        bytes = format == QLatin1String("pem") ? exportPublicPem(*key) : exportJwk(*key);
        suggested
            = format == QLatin1String("pem") ? QStringLiteral("public-key.pem") : QStringLiteral("public-key.jwk");
    }
    const QString fileName = FileDialogs::getSaveFileName(this, tr("Export"), suggested);
    if (fileName.isEmpty())
        return;
    const QString problem = saveBytesTo(fileName, bytes);
    m_summaryStatus->setText(problem.isEmpty() ? tr("Written to %1.").arg(fileName) : problem);
}

void KeyWizard::startRotation(const QString& keySet)
{
    const int index = m_rotateSet->findText(keySet);
    if (index >= 0) {
        m_rotateSet->setCurrentIndex(index);
        m_rotateRadio->setChecked(true);
    }
    setWindowTitle(tr("Rotate key set"));
}

int KeyWizard::nextId() const
{
    switch (currentId()) {
    case StartPage:
        return mode() == Mode::Rotate ? GeneratePage : FamilyPage;
    case FamilyPage:
        return ParametersPage;
    case ParametersPage:
        return GeneratePage;
    case GeneratePage:
        return NamePage;
    case NamePage:
        return StorePage;
    case StorePage:
        return SummaryPage;
    default:
        return -1;
    }
}

KeyWizard::Mode KeyWizard::mode() const
{
    return m_rotateRadio->isChecked() ? Mode::Rotate : Mode::Generate;
}

QString KeyWizard::rotationSet() const
{
    return m_rotateSet->currentText();
}

KeyWizard::Family KeyWizard::family() const
{
    return Family(m_families->checkedId());
}

KeyUse KeyWizard::chosenUse() const
{
    if (mode() == Mode::Rotate) {
        const auto active = m_store->activeKey(rotationSet());
        return active ? active->use : KeyUse::Signing;
    }
    return useOf(family());
}

KeyRequest KeyWizard::keyRequest() const
{
    if (mode() == Mode::Rotate) {
        const auto active = m_store->activeKey(rotationSet());
        if (!active)
            return {};
        Key replaced;
        if (auto key = active->publicKey())
            replaced = std::move(key).value();
        return rotationRequest(active->alg, replaced, active->enc);
    }
    KeyRequest request;
    const int hashBits = m_rsaHash->currentData().toInt();
    const Digest hash = hashBits == 512 ? Digest::Sha512 : hashBits == 384 ? Digest::Sha384 : Digest::Sha256;
    switch (family()) {
    case Family::Rsa:
        request.alg = signingAlgName(SignatureScheme::RsaPkcs1, hash);
        request.bits = m_rsaBits->currentData().toInt();
        break;
    case Family::RsaPss:
        request.alg = signingAlgName(SignatureScheme::RsaPss, hash);
        request.bits = m_rsaBits->currentData().toInt();
        break;
    case Family::Ecdsa:
        request.alg = m_ecCurve->currentData().toString();
        break;
    case Family::EdDsa:
        request.alg = signingAlgName(SignatureScheme::EdDsa, Digest::None);
        break;
    case Family::Hmac: {
        const int bits = m_hmacBits->currentData().toInt();
        request.alg = signingAlgName(SignatureScheme::Hmac,
                                     bits == 512       ? Digest::Sha512
                                         : bits == 384 ? Digest::Sha384
                                                       : Digest::Sha256);
        request.bits = bits;
        break;
    }
    case Family::RsaOaep:
    case Family::Ecdh:
    case Family::AesKeyWrap:
    case Family::Direct:
    case Family::Password:
        request.alg = m_encAlg->currentData().toString();
        if (family() == Family::RsaOaep)
            request.bits = m_encRsaBits->currentData().toInt();
        if (family() == Family::Ecdh)
            request.curve = m_encCurve->currentData().toString();
        if (family() == Family::Direct)
            request.enc = m_encEnc->currentData().toString();
        break;
    }
    return request;
}

Key KeyWizard::generatedKey() const
{
    return field(fieldName(KeyWizardFields::kGeneratedKey)).value<Key>();
}

KeyRecord KeyWizard::storedRecord() const
{
    return field(fieldName(KeyWizardFields::kStoredRecord)).value<KeyRecord>();
}

} // namespace jwti
