#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace jwti {

struct Token;

// The signature segment: base64url as received, hex, its length in bits, and what the alg says it is (an HMAC
// tag, an RSA signature, r and s for ECDSA, R and S for EdDSA).
class SignatureView : public QWidget
{
    Q_OBJECT

public:
    explicit SignatureView(QWidget* parent = nullptr);

    // notAToken: the text is no token at all (TokenDocument::isNotAToken): nothing in it is a signature.
    void showToken(const Token& token, bool notAToken = false);

    QString meaning() const;
    QString lengthText() const;
    QString base64Text() const;
    QString hexText() const;

private:
    QPlainTextEdit* makeField(const QString& name, const QString& accessibleName);

    QLabel* m_meaning;
    QLabel* m_length;
    QPlainTextEdit* m_base64;
    QPlainTextEdit* m_hex;
    QLabel* m_partALabel;
    QPlainTextEdit* m_partA;
    QLabel* m_partBLabel;
    QPlainTextEdit* m_partB;
};

} // namespace jwti
