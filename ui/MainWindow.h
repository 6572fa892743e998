#pragma once

#include "SampleTokens.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <QPointer>

class QLabel;
class QListWidget;
class QSplitter;
class QStackedWidget;
class QTabWidget;

namespace jwti {

class ClaimsTable;
class EmptyStatePage;
class FindingsList;
class JsonView;
class KeyManagerWindow;
class KeyStore;
class KeystoreVerifyBridge;
class SignatureView;
class SigningEditor;
class TokenDocument;
class TokenEditor;
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

    // A token or a file name from the command line: a readable file is opened, anything else is a token.
    void openTokenOrFile(const QString& tokenOrFile);
    void loadToken(const QString& text);
    bool openFile(const QString& fileName);

    // Makes the named sample (SampleTokens::names()) off the UI thread, then loads it with its key.
    void loadSample(const QString& name);
    bool isLoadingSample() const;

    enum class DetailTab { Header, Payload, Signature, Claims, Findings };
    void showDetailTab(DetailTab tab);
    void showSigning();
    void showVerify();

    // Files larger than this are refused: a token is never that big, and reading it would stall.
    static constexpr qsizetype kMaxFileBytes = 16 * 1024 * 1024;

    // The keychain store behind the key manager and the verify panel's stored keys, made on first use.
    KeyStore* keyStore();
    void showKeyManager();

signals:
    void sampleLoaded(const QString& name);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void buildMenus();
    void onTokenChanged();
    void onFindingsChanged();
    void updateProblems();
    void updateStatus();
    void pasteToken();
    void openFileDialog();
    void copyText(const QString& text, const QString& what);
    void inspectSigned(const QString& token);

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
    SigningEditor* m_signingEditor;
    QSplitter* m_mainSplitter;
    QLabel* m_statusSummary;
    QFutureWatcher<SampleToken> m_sampleWatcher;
    KeyStore* m_keyStore = nullptr;
    KeystoreVerifyBridge* m_keystoreBridge = nullptr;
    QPointer<KeyManagerWindow> m_keyManager;
};

} // namespace jwti
