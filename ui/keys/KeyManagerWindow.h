#pragma once

#include "keystore/KeyStore.h"
#include "keystore/KeystoreChecker.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace jwti {

class KeyImportDialog;
class KeyWizard;
class RemoteJwksDialog;

// The key manager: every stored, remote and not-yet-stored key as a tree of key sets (a set's row: its name, how many
// keys, its active kid) and their keys (use, alg, kid, status with the retire-after date and days left, created,
// thumbprint where it differs from the kid); the selected key's public half as PEM and JWK; and the actions on keys
// (generate, rotate, retire, import, export, fetch remote, delete). Keyboard: arrows move and expand, Enter opens
// (a set folds, a key's public half takes the focus), Delete deletes after the usual confirmation. The keychain is only
// touched when an action needs it, never at start-up, and never waited on: each call answers later and the window stays
// responsive.
class KeyManagerWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit KeyManagerWindow(KeyStore* store, QWidget* parent = nullptr);

    KeyStore* store() const { return m_store; }
    QString selectedId() const; // empty when a set's row (or nothing) is selected
    QString selectedSet() const; // the set of the selected row, a set's or a key's
    void selectKey(const QString& id);
    void selectSet(const QString& keySet);
    QString bannerText() const;

    // Each opens its window without blocking and returns it (tests drive it).
    KeyWizard* openWizard(bool rotateSelectedSet);
    KeyImportDialog* openImportDialog();
    RemoteJwksDialog* openRemoteDialog();

    void retireSelected();
    void deleteSelected();
    void retrySelected();
    void refreshSelectedRemote();
    // format: "pem", "jwk" or "jwks" (the selected key's set)
    void exportSelectedPublic(const QString& format);
    // Encrypted PKCS#8 PEM, or (after a clear warning) an unencrypted private JWK.
    void exportSelectedPrivate(bool asJwk);

    // keys check and keys check --repair, in the window: the findings are listed in the Consistency tab, each repair
    // choice is a button there. Both answer later (checkFinished) and never block the window.
    void checkConsistency();
    void repairFindings(bool removeOrphans);
    const std::vector<KeystoreFinding>& findings() const { return m_findings; }
    // Orphans younger than this are left alone (another process may still be storing them); 60 s unless changed.
    void setRepairGraceSeconds(qint64 seconds) { m_repairGrace = seconds; }

signals:
    void checkFinished();

protected:
    void showEvent(QShowEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void reloadIndex();
    void refreshTable();
    void openItem(QTreeWidgetItem* item);
    QTreeWidgetItem* addKeyItem(QTreeWidgetItem* setItem, const KeyRecord& record, const QString& status, bool pending);
    void showDetails();
    void updateActions();
    void setBanner(const QString& text, bool problem);
    const KeyRecord* selectedRecord() const;
    const PendingKey* selectedPending() const;
    void writeExport(const QString& caption, const QString& suggestedName, QByteArray bytes);

    KeyStore* m_store;
    QTreeWidget* m_tree;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_banner;
    QLabel* m_info;
    QPlainTextEdit* m_pem;
    QPlainTextEdit* m_jwk;
    QAction* m_generate;
    QAction* m_rotate;
    QAction* m_retire;
    QAction* m_delete;
    QAction* m_import;
    QAction* m_exportPem;
    QAction* m_exportJwk;
    QAction* m_exportJwks;
    QAction* m_exportPrivate;
    QAction* m_exportPrivateJwk;
    QAction* m_fetchRemote;
    QAction* m_refreshRemote;
    QAction* m_retry;
    QAction* m_check;
    QListWidget* m_findingList;
    QLabel* m_checkStatus;
    QPushButton* m_repairAdopt;
    QPushButton* m_repairRemove;
    std::vector<KeystoreFinding> m_findings;
    qint64 m_repairGrace = 60;
    bool m_checking = false;
    QPointer<KeyWizard> m_wizard;
    bool m_loaded = false;
    bool m_busy = false;
    std::vector<KeyRecord> m_shownRecords;
};

} // namespace jwti
