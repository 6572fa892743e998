#include "token/SignatureView.h"

#include "core/jose/Algorithms.h"
#include "core/jose/Token.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace jwti {

namespace {

// A megabyte of signature hex helps nobody and costs a layout: show the start and say so.
constexpr qsizetype kMaxShownBytes = 16 * 1024;

QString hexOf(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.left(kMaxShownBytes).toHex(' '));
}

} // namespace

SignatureView::SignatureView(QWidget* parent)
    : QWidget(parent)
    , m_meaning(new QLabel(this))
    , m_length(new QLabel(this))
    , m_base64(makeField(QStringLiteral("signatureBase64"), tr("Signature, base64url")))
    , m_hex(makeField(QStringLiteral("signatureHex"), tr("Signature, hex")))
    , m_partALabel(new QLabel(this))
    , m_partA(makeField(QStringLiteral("signaturePartA"), tr("First half of the signature")))
    , m_partBLabel(new QLabel(this))
    , m_partB(makeField(QStringLiteral("signaturePartB"), tr("Second half of the signature")))
{
    setObjectName(QStringLiteral("signatureView"));
    m_meaning->setObjectName(QStringLiteral("signatureMeaning"));
    m_meaning->setWordWrap(true);
    m_meaning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_meaning->setAccessibleName(tr("What the signature is"));
    m_length->setObjectName(QStringLiteral("signatureLength"));
    m_length->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_length->setAccessibleName(tr("Signature length"));

    // Rows keep to their content at the top: a tall tab must not push each value away from its label.
    auto* outer = new QVBoxLayout(this);
    auto* layout = new QFormLayout;
    outer->addLayout(layout);
    outer->addStretch(1);
    layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addRow(tr("What it is:"), m_meaning);
    layout->addRow(tr("Length:"), m_length);
    auto* base64Label = new QLabel(tr("Base64url:"), this);
    base64Label->setBuddy(m_base64);
    layout->addRow(base64Label, m_base64);
    auto* hexLabel = new QLabel(tr("Hex:"), this);
    hexLabel->setBuddy(m_hex);
    layout->addRow(hexLabel, m_hex);
    m_partALabel->setBuddy(m_partA);
    m_partBLabel->setBuddy(m_partB);
    layout->addRow(m_partALabel, m_partA);
    layout->addRow(m_partBLabel, m_partB);
    m_partALabel->hide();
    m_partA->hide();
    m_partBLabel->hide();
    m_partB->hide();
}

QPlainTextEdit* SignatureView::makeField(const QString& name, const QString& accessibleName)
{
    auto* field = new QPlainTextEdit(this);
    field->setObjectName(name);
    field->setAccessibleName(accessibleName);
    field->setReadOnly(true);
    field->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    field->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    field->setWordWrapMode(QTextOption::WrapAnywhere);
    field->setTabChangesFocus(true);
    field->setMaximumHeight(field->fontMetrics().lineSpacing() * 5 + 12);
    return field;
}

void SignatureView::showToken(const Token& token, bool notAToken)
{
    const Segment* segment = nullptr;
    if (!token.signatures.empty())
        segment = &token.signatures.front().signature;
    else {
        for (const Segment& candidate : token.segments) {
            if (candidate.role == SegmentRole::Signature || candidate.role == SegmentRole::Tag)
                segment = &candidate;
        }
    }
    // r/s or R/S halves are shown again below when the alg has them.
    m_partALabel->hide();
    m_partA->hide();
    m_partBLabel->hide();
    m_partB->hide();

    if (token.kind == TokenKind::Empty || !segment || notAToken) {
        m_meaning->setText(token.kind == TokenKind::Empty ? QString()
                               : notAToken                ? tr("This is not a JWT, so there is no signature to show.")
                                                          : tr("This token has no signature part."));
        m_length->clear();
        m_base64->clear();
        m_hex->clear();
        return;
    }

    const QByteArray& bytes = segment->decoded.bytes;
    const qsizetype bits = bytes.size() * 8;
    m_base64->setPlainText(QString::fromLatin1(segment->encoded.left(kMaxShownBytes * 2)));
    QString hex = hexOf(bytes);
    if (bytes.size() > kMaxShownBytes)
        hex += QLatin1Char(' ') + tr("… (first %1 of %2 bytes)").arg(kMaxShownBytes).arg(bytes.size());
    m_hex->setPlainText(hex);

    if (token.kind == TokenKind::Jwe) {
        m_meaning->setText(tr("Encrypted token (JWE): this part is the authentication tag (RFC 7516 §7.1), not a "
                              "signature. It cannot be checked without the decryption key."));
        m_length->setText(tr("%1 bits (%2 bytes)").arg(bits).arg(bytes.size()));
        return;
    }

    const QString algName = token.alg();
    const AlgInfo* alg = findAlg(algName);
    QString lengthText = tr("%1 bits (%2 bytes)").arg(bits).arg(bytes.size());
    QString meaning;
    bool splitHalves = false;
    QString halfA;
    QString halfB;
    if (!alg) {
        meaning = algName.isEmpty() ? tr("The header names no algorithm, so the signature cannot be interpreted.")
                                    : tr("Unknown algorithm \"%1\": the signature cannot be interpreted.").arg(algName);
    } else {
        switch (alg->scheme) {
        case SignatureScheme::None:
            meaning = bytes.isEmpty()
                ? tr("Unsecured token (alg none): there is no signature (RFC 7519 §6).")
                : tr("Unsecured token (alg none) but a signature part is present: RFC 7519 §6 requires it empty.");
            break;
        case SignatureScheme::Hmac:
            meaning = tr("HMAC tag: HMAC-%1 of the signing input, keyed with the shared secret (%2).")
                          .arg(QString::fromLatin1(digestName(alg->digest)), QString::fromUtf8(alg->rfcSection));
            break;
        case SignatureScheme::RsaPkcs1:
            meaning = tr("RSA signature (RSASSA-PKCS1-v1_5 with %1): as long as the key's modulus (%2).")
                          .arg(QString::fromLatin1(digestName(alg->digest)), QString::fromUtf8(alg->rfcSection));
            break;
        case SignatureScheme::RsaPss:
            meaning = tr("RSA signature (RSASSA-PSS with %1, MGF1, salt as long as the hash): as long as the key's "
                         "modulus (%2).")
                          .arg(QString::fromLatin1(digestName(alg->digest)), QString::fromUtf8(alg->rfcSection));
            break;
        case SignatureScheme::Ecdsa:
            meaning = tr("ECDSA signature on %1 with %2: the integers r and s, each %3 bytes, concatenated (not DER; "
                         "%4).")
                          .arg(QString::fromLatin1(alg->curve), QString::fromLatin1(digestName(alg->digest)))
                          .arg(alg->signatureBytes / 2)
                          .arg(QString::fromUtf8(alg->rfcSection));
            splitHalves = true;
            halfA = QStringLiteral("r:");
            halfB = QStringLiteral("s:");
            break;
        case SignatureScheme::EdDsa:
            meaning = tr("EdDSA signature (%1): the point R and the integer S, concatenated (RFC 8032 §5.1.6).")
                          .arg(QString::fromLatin1(alg->curve ? alg->curve : "Ed25519 or Ed448"));
            splitHalves = true;
            halfA = QStringLiteral("R:");
            halfB = QStringLiteral("S:");
            break;
        }
        if (alg->signatureBytes > 0 && bytes.size() != alg->signatureBytes && alg->scheme != SignatureScheme::None)
            lengthText += QLatin1Char(' ')
                + tr("— %1 needs exactly %2 bytes: this signature cannot be valid.")
                      .arg(algName)
                      .arg(alg->signatureBytes);
    }
    m_meaning->setText(meaning);
    m_length->setText(lengthText);

    if (splitHalves && !bytes.isEmpty() && bytes.size() % 2 == 0) {
        const qsizetype half = bytes.size() / 2;
        m_partALabel->setText(halfA);
        m_partBLabel->setText(halfB);
        m_partA->setAccessibleName(tr("Signature %1").arg(halfA.chopped(1)));
        m_partB->setAccessibleName(tr("Signature %1").arg(halfB.chopped(1)));
        m_partA->setPlainText(hexOf(bytes.first(half)));
        m_partB->setPlainText(hexOf(bytes.sliced(half)));
        m_partALabel->show();
        m_partA->show();
        m_partBLabel->show();
        m_partB->show();
    }
}

QString SignatureView::meaning() const
{
    return m_meaning->text();
}

QString SignatureView::lengthText() const
{
    return m_length->text();
}

QString SignatureView::base64Text() const
{
    return m_base64->toPlainText();
}

QString SignatureView::hexText() const
{
    return m_hex->toPlainText();
}

} // namespace jwti
