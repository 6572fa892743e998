#pragma once

#include "core/crypto/Key.h"
#include "core/crypto/SignatureWalkthrough.h"
#include "shell/Palette.h"

#include <QTimer>
#include <QWidget>
#include <vector>

class QComboBox;
class QFrame;
class QLabel;
class QScrollArea;
class QVBoxLayout;

namespace jwti {

class TokenDocument;
class WalkthroughStepCard;

// "How the signature is made": the document's token checked step by step with the key the document's Verdict
// rests on (the one that verified, or whose failure decided it), every intermediate value shown and copyable, and
// the step where the check fails marked with the reason. The summary names the verdict, so this view never says
// more than the verify panel; another fitting key may be picked to see how it fails. It shows what
// walkThroughSignature computes; it computes nothing itself.
class SignatureWalkthroughView : public QWidget
{
    Q_OBJECT

public:
    // What the view can show for the document as it is.
    enum class State {
        NoToken,
        NotAToken, // prose, a PEM, a JWK (TokenDocument::isNotAToken): nothing in it was signed
        Encrypted, // JWE: not signed
        NoSignature, // malformed: no signature part to check
        Unsupported, // no "alg", or one this inspector does not know
        Unsecured, // alg "none": the signing input is shown, nothing verifies
        NoKey, // signed, but the verify panel holds no key
        Walk, // the steps of the check with a key
    };

    explicit SignatureWalkthroughView(TokenDocument* document, QWidget* parent = nullptr);

    State state() const { return m_state; }
    // The line above the steps: the state in words, or the verdict and where the check fails.
    QString summaryText() const;
    const SignatureWalkthrough& walkthrough() const { return m_walk; }

    // The keys offered in the key chooser: the verdict's key first, then the token's kid, then the others that
    // fit the alg (the keys the user chose when none fits, so the key step can say why; stored keys that do not
    // fit are never offered: they are not candidates).
    int keyCount() const { return int(m_candidates.size()); }
    int currentKeyIndex() const;
    void setCurrentKeyIndex(int index);
    // The key walked through now, or nullptr; and whether it is the one the verdict rests on.
    const Key* currentKey() const;
    bool showsTheVerdictsKey() const;

    // Recomputes now. Changes of the document are otherwise picked up once it settles, and only while shown.
    void refresh();
    // Scrolls a step to the top of the view (and keeps it there while the cards settle, until the user scrolls).
    void showStep(int index);
    // The index of the step with that id ("tag-compare", "pkcs1-padding", …), or -1.
    int stepIndex(const QString& id) const;

    // Values longer than this are shown cut, with a note; Copy still copies the whole value.
    static constexpr qsizetype kMaxShownChars = 32 * 1024;

signals:
    // The steps were rebuilt for the current token and key.
    void refreshed();

protected:
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void scheduleRefresh();
    void scrollToStep(int index);
    void collectCandidates();
    void clearSteps();
    void showState(State state, const QString& text);
    WalkthroughStepCard* makeStepCard(int index, const WalkStep& step);
    void setSummary(const QString& text, Palette::Role role);

    TokenDocument* m_document;
    QLabel* m_summary;
    QWidget* m_keyRow;
    QComboBox* m_keyCombo;
    QScrollArea* m_scroll;
    QWidget* m_stepsHost;
    QVBoxLayout* m_stepsLayout;
    std::vector<QFrame*> m_cards;
    QTimer m_refreshTimer;
    bool m_stale = true;
    int m_pendingScrollStep = -1;

    State m_state = State::NoToken;
    SignatureWalkthrough m_walk;
    std::vector<Key> m_candidates;
    const void* m_verdictKey = nullptr; // identity of the key the document's verdict rests on
    const void* m_chosenKey = nullptr; // identity of the key the user picked in the chooser
};

} // namespace jwti
