#pragma once

#include "core/crypto/DecryptionWalkthrough.h"

#include <QWidget>
#include <vector>

class QCheckBox;
class QFrame;
class QLabel;
class QScrollArea;
class QVBoxLayout;

namespace jwti {

class DecryptPanel;
class TokenDocument;
class WalkthroughStepCard;

// "How it's decrypted": core walkThroughDecryption for the JWE open and the key the decrypt panel decided with (or,
// before any key decided, the first one given): the AAD, how the CEK is unwrapped or agreed (the ECDH shared secret
// and the Concat KDF inputs), the MAC and encryption keys of CBC-HS, the tag check and the plaintext, the failing
// step framed and named. Steps holding a CEK, a shared secret or a derived key show their values only while the user
// ticks "Display secret values" (like SecretInput's Show idiom); they are never copied anywhere.
class DecryptionWalkthroughView : public QWidget
{
    Q_OBJECT

public:
    enum class State { NotJwe, Malformed, NoKey, Walk };

    DecryptionWalkthroughView(TokenDocument* document, DecryptPanel* panel, QWidget* parent = nullptr);

    State state() const { return m_state; }
    QString summaryText() const;
    const DecryptionWalkthrough& walkthrough() const { return m_walk; }
    bool secretsShown() const;
    void setSecretsShown(bool shown);
    // The value as shown of the step with that id ("cek", "aad", …); empty when there is no such step.
    QString shownValue(const QString& stepId) const;

    void refresh();

signals:
    void refreshed();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void rebuildCards();
    WalkthroughStepCard* makeStepCard(int index, const WalkStep& step);

    TokenDocument* m_document;
    DecryptPanel* m_panel;
    QLabel* m_summary;
    QCheckBox* m_showSecrets;
    QScrollArea* m_scroll;
    QWidget* m_stepsHost;
    QVBoxLayout* m_stepsLayout;
    std::vector<QFrame*> m_cards;
    State m_state = State::NotJwe;
    DecryptionWalkthrough m_walk;
    bool m_stale = true;
};

} // namespace jwti
