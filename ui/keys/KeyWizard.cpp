#include "keys/KeyWizard.h"

#include "core/crypto/KeyFormats.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Jwk.h"
#include "keys/KeyGenerationPage.h"
#include "keys/KeyPrompts.h"
#include "keys/KeyStoringPage.h"
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
    setPage(StorePage, new KeyStoringPage(this));
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
    auto* page = new QWizardPage(this);
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
    auto showActive = [this] {
        const auto active = m_store->activeKey(m_rotateSet->currentText());
        m_rotateInfo->setText(active ? tr("Active key: \"%1\", %2, kid %3.").arg(active->name, active->alg, active->kid)
                                     : QString());
    };
    connect(m_rotateRadio, &QRadioButton::toggled, m_rotateSet, &QComboBox::setEnabled);
    connect(m_rotateSet, &QComboBox::currentTextChanged, this, showActive);
    showActive();

    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_generateRadio);
    layout->addWidget(hintLabel(tr("A fresh key pair (or HMAC secret) for signing tokens, kept in your system "
                                   "keychain. Its public half can be published as a JWKS."),
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
                     "starts signing; the old one stays in the set's JWKS as verify-only, so tokens it already signed "
                     "keep verifying until they expire. Then you retire it."),
                  page));
    layout->addStretch();
    return page;
}

QWizardPage* KeyWizard::makeFamilyPage()
{
    auto* page = new QWizardPage(this);
    page->setTitle(tr("Algorithm family"));
    m_families = new QButtonGroup(page);
    auto* layout = new QVBoxLayout(page);
    // An introduction in the page, not a subtitle: ClassicStyle draws pages with a subtitle in another header style.
    layout->addWidget(explanationLabel(tr("Who verifies your tokens decides: anyone with the public key "
                                          "(asymmetric) or only those who share the secret (HMAC)."),
                                       QStringLiteral("familyIntro"), page));
    struct Choice
    {
        Family family;
        const char* objectName;
        QString title;
        QString why;
    };
    const Choice choices[] = {
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
    for (const Choice& choice : choices) {
        auto* radio = new QRadioButton(choice.title, page);
        radio->setObjectName(QLatin1String(choice.objectName));
        m_families->addButton(radio, int(choice.family));
        layout->addWidget(radio);
        layout->addWidget(hintLabel(choice.why, page));
    }
    m_families->button(int(Family::Ecdsa))->setChecked(true);
    layout->addStretch();
    return page;
}

QWizardPage* KeyWizard::makeParametersPage()
{
    auto* page = new QWizardPage(this);
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
    for (QComboBox* combo : {m_rsaBits, m_rsaHash, m_ecCurve, m_hmacBits})
        connect(combo, &QComboBox::currentIndexChanged, this, &KeyWizard::updateParameterExplanation);
    return page;
}

void KeyWizard::updateParameterExplanation()
{
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
    }
}

QWizardPage* KeyWizard::makeNamePage()
{
    auto* page = new QWizardPage(this);
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
    m_retireDays->setRange(0, 3650);
    m_retireDays->setValue(30);
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
    return page;
}

void KeyWizard::initializeNamePage()
{
    const bool rotating = mode() == Mode::Rotate;
    m_keySet->setText(rotating ? rotationSet()
                               : (m_keySet->text().isEmpty() ? QStringLiteral("default") : m_keySet->text()));
    m_keySet->setReadOnly(rotating);
    if (m_name->text().isEmpty() || rotating) {
        m_name->setText(rotating
                            ? QStringLiteral("%1 %2").arg(rotationSet(), QDate::currentDate().toString(Qt::ISODate))
                            : QStringLiteral("%1 key").arg(chosenAlg()));
    }
    m_retireRow->setVisible(rotating);
    m_retireLabel->setVisible(rotating);
    if (m_key.type() == KeyType::Oct) {
        m_kid->clear();
        m_kid->setPlaceholderText(tr("a random id"));
        m_kidExplanation->setText(tr("An HMAC secret gets a random kid: its RFC 7638 thumbprint would be a hash of "
                                     "the secret, which anyone who sees a token could test guesses against."));
    } else {
        m_kid->setText(thumbprint(m_key));
        m_kidExplanation->setText(tr("The default is the key's RFC 7638 thumbprint: a hash of the public key, unique "
                                     "to it, that anyone can recompute."));
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
    const KeyRecord& record = m_stored;
    QString text = tr("Name: %1\nKey set: %2\nAlgorithm: %3\nkid: %4\nStatus: %5\n%6")
                       .arg(record.name, record.keySet, record.alg, record.kid, keyStatusName(record.status),
                            record.description);
    if (mode() == Mode::Rotate) {
        text += tr("\n\nPublish the set's JWKS now: it holds the new key and the old one, which stays verify-only "
                   "until %1. Sign new tokens with the new key; retire the old one after that date.")
                    .arg(retireAfter().toLocalTime().toString(Qt::ISODate));
    }
    m_summary->setText(text);
    const bool publicHalf = record.kty != QLatin1String("oct");
    for (const char* name : {"summaryExportPem", "summaryExportJwk", "summaryExportJwks"}) {
        if (auto* button = page(SummaryPage)->findChild<QPushButton*>(QLatin1String(name)))
            button->setEnabled(publicHalf);
    }
    if (!publicHalf)
        m_summaryStatus->setText(tr("An HMAC secret has no public half to publish; it stays in the keychain."));
}

void KeyWizard::exportFromSummary(const QString& format)
{
    QByteArray bytes;
    QString suggested;
    if (format == QLatin1String("jwks")) {
        bytes = m_store->keySetJwks(m_stored.keySet);
        suggested = QStringLiteral("%1-jwks.json").arg(m_stored.keySet);
    } else {
        const auto key = m_stored.publicKey();
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

QString KeyWizard::chosenAlg() const
{
    if (mode() == Mode::Rotate) {
        const auto active = m_store->activeKey(rotationSet());
        return active ? active->alg : QString();
    }
    switch (family()) {
    case Family::Rsa:
        return QStringLiteral("RS%1").arg(m_rsaHash->currentData().toInt());
    case Family::RsaPss:
        return QStringLiteral("PS%1").arg(m_rsaHash->currentData().toInt());
    case Family::Ecdsa:
        return m_ecCurve->currentData().toString();
    case Family::EdDsa:
        return QStringLiteral("EdDSA");
    case Family::Hmac:
        return QStringLiteral("HS%1").arg(m_hmacBits->currentData().toInt());
    }
    return {};
}

Result<KeySpec> KeyWizard::chosenSpec() const
{
    const QString algName = chosenAlg();
    const AlgInfo* alg = findAlg(algName);
    if (!alg)
        return Error{ErrorCode::AlgUnknown, tr("no algorithm chosen")};
    int bits = 0;
    if (mode() == Mode::Rotate) {
        // The new key keeps the strength of the one it replaces.
        const auto active = m_store->activeKey(rotationSet());
        if (active && active->kty == QLatin1String("RSA")) {
            if (auto key = active->publicKey())
                bits = key->bits();
        }
    } else if (family() == Family::Rsa || family() == Family::RsaPss) {
        bits = m_rsaBits->currentData().toInt();
    } else if (family() == Family::Hmac) {
        bits = m_hmacBits->currentData().toInt();
    }
    return keySpecForAlg(*alg, bits);
}

NewKeyOptions KeyWizard::nameOptions() const
{
    NewKeyOptions options;
    options.name = m_name->text().trimmed();
    options.keySet = m_keySet->text().trimmed();
    options.kid = m_kid->text().trimmed();
    options.alg = chosenAlg();
    options.source = QStringLiteral("generated");
    return options;
}

QDateTime KeyWizard::retireAfter() const
{
    return QDateTime::currentDateTimeUtc().addDays(m_retireDays->value());
}

} // namespace jwti
