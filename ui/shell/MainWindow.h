#pragma once

#include "shell/AppSettings.h"
#include "shell/BackgroundTask.h"
#include "shell/SampleTokens.h"

#include <QMainWindow>
#include <QPointer>

class QLabel;
class QListWidget;
class QScrollArea;
class QSplitter;
class QStackedWidget;
class QTabWidget;

namespace jwti {

class Base64Inspector;
class ClaimsTable;
class DecryptPanel;
class DecryptionWalkthroughView;
class EmptyStatePage;
class FindingsList;
class GuidedTour;
class JsonView;
class KeyManagerWindow;
class KeyStore;
class KeystoreDecryptBridge;
class KeystoreVerifyBridge;
class LessonsView;
class RecentMenus;
class SignatureView;
class SignatureWalkthroughView;
class SigningEditor;
class TokenDocument;
class TokenEditor;
class TraceLinker;
class VerifyPanel;

// One window, one document: the token editor on the left over the decoded views (header, payload, signature,
// claims, findings), the verify panel and the signing editor on the right.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Options { Default, NoSettings }; // NoSettings: tests and screenshots leave no geometry behind
    explicit MainWindow(Options options = Options::Default, QWidget* parent = nullptr);
    ~MainWindow() override;

    TokenDocument* document() const { return m_document; }
    TokenEditor* tokenEditor() const { return m_editor; }
    VerifyPanel* verifyPanel() const { return m_verifyPanel; }
    SigningEditor* signingEditor() const { return m_signingEditor; }
    TraceLinker* traceLinker() const { return m_traceLinker; }
    Base64Inspector* base64Inspector() const { return m_base64Inspector; }
    SignatureWalkthroughView* walkthroughView() const { return m_walkthroughView; }
    LessonsView* lessonsView() const { return m_lessonsView; }
    DecryptPanel* decryptPanel() const { return m_decryptPanel; }
    DecryptionWalkthroughView* decryptionWalkthroughView() const { return m_decryptionWalkthroughView; }
    // Shows the decrypt panel (for a JWE it is where the verify panel would be, one tab over).
    void showDecrypt();

    // A token or a file name from the command line: a readable file is opened, anything else is a token.
    void openTokenOrFile(const QString& tokenOrFile);
    void loadToken(const QString& text);
    bool openFile(const QString& fileName);

    // Makes the named sample (SampleTokens::names()) off the UI thread, then loads it with its key.
    void loadSample(const QString& name);
    bool isLoadingSample() const;

    enum class DetailTab { Header, Payload, Signature, Claims, Findings, Base64, Walkthrough, Lessons };
    void showDetailTab(DetailTab tab);
    DetailTab currentDetailTab() const;
    void showSigning();
    void showVerify();

    // Files larger than this are refused: a token is never that big, and reading it would stall.
    static constexpr qsizetype kMaxFileBytes = 16 * 1024 * 1024;

    // The keychain store behind the key manager and the verify panel's stored keys, made on first use.
    KeyStore* keyStore();
    void showKeyManager();

    // Help ▸ Guided tour: opens the tour panel (made on first use), resuming where it was left.
    void showGuidedTour();
    GuidedTour* guidedTour() const { return m_guidedTour; }

    // Preferences: what Settings edits. setSettings applies them at once and saves them (not under NoSettings).
    const AppSettings& settings() const { return m_settings; }
    void setSettings(const AppSettings& settings);
    RecentMenus* recentMenus() const { return m_recentMenus; }

signals:
    void sampleLoaded(const QString& name);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // A sample made off the UI thread (its keys are fresh), shown with its key in the verify panel.
    void showSample(const SampleToken& sample);
    void buildMenus();
    void showLegend();
    void onTokenChanged();
    void onFindingsChanged();
    void updateProblems();
    void fitProblemsHeight();
    void updateStatus();
    // A range selected in the token: what it covers, in characters and in decoded bytes, counted from 1.
    QString describeSelection() const;
    void pasteToken();
    void openFileDialog();
    void copyText(const QString& text, const QString& what);
    void inspectSigned(const QString& token);
    void applySettings();
    void applyTheme();
    void showSettings();
    // JWE or not: the side tab and the walk-through that matter for the token open, and the "inside a JWE" banner.
    void onTokenKindChanged();
    void openInnerToken(const QString& token);

    Options m_options;
    TokenDocument* m_document;
    TokenEditor* m_editor;
    QLabel* m_legend;
    QLabel* m_previewBanner;
    QListWidget* m_problems;
    QStackedWidget* m_detailStack;
    EmptyStatePage* m_emptyPage;
    QTabWidget* m_detailTabs;
    JsonView* m_headerView;
    JsonView* m_payloadView;
    SignatureView* m_signatureView;
    ClaimsTable* m_claimsTable;
    FindingsList* m_findingsList;
    QTabWidget* m_sideTabs;
    VerifyPanel* m_verifyPanel;
    QScrollArea* m_verifyScroll = nullptr;
    SigningEditor* m_signingEditor;
    QSplitter* m_mainSplitter;
    QLabel* m_statusSummary;
    BackgroundTask<SampleToken> m_sample{this};
    KeyStore* m_keyStore = nullptr;
    KeystoreVerifyBridge* m_keystoreBridge = nullptr;
    KeystoreDecryptBridge* m_keystoreDecryptBridge = nullptr;
    RecentMenus* m_recentMenus = nullptr;
    AppSettings m_settings;
    QPointer<KeyManagerWindow> m_keyManager;
    Base64Inspector* m_base64Inspector = nullptr;
    SignatureWalkthroughView* m_walkthroughView = nullptr;
    LessonsView* m_lessonsView = nullptr;
    GuidedTour* m_guidedTour = nullptr;
    TraceLinker* m_traceLinker = nullptr;
    // JWE: the decrypt panel (a side tab), "How it's decrypted" (in the walk-through's place), and the way back
    // from a token opened out of a JWE to the JWE itself.
    DecryptPanel* m_decryptPanel = nullptr;
    DecryptionWalkthroughView* m_decryptionWalkthroughView = nullptr;
    QStackedWidget* m_walkthroughStack = nullptr;
    QWidget* m_innerBanner = nullptr;
    QString m_outerToken;
    QString m_innerToken;
    bool m_wasJwe = false;
};

} // namespace jwti
