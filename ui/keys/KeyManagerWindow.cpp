#include "keys/KeyManagerWindow.h"

#include "core/crypto/KeyFormats.h"
#include "core/jose/Jwk.h"
#include "keys/KeyImportDialog.h"
#include "keys/KeyPrompts.h"
#include "keys/KeyWizard.h"
#include "keys/RemoteJwksDialog.h"
#include "shell/FileDialogs.h"
#include "shell/Palette.h"
#include "shell/WindowPlacement.h"

#include <QAction>
#include <QDate>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace jwti {

namespace {

enum Column { NameColumn, SetColumn, AlgColumn, KidColumn, StatusColumn, CreatedColumn, ThumbprintColumn, ColumnCount };

QAction* makeAction(QObject* parent, const QString& text, const QString& objectName, const QString& tip)
{
    auto* action = new QAction(text, parent);
    action->setObjectName(objectName);
    action->setToolTip(tip);
    return action;
}

// What rotation is about, in the status: which key signs, and how long an old one still verifies.
QString statusText(const KeyRecord& record)
{
    QString text = keyStatusName(record.status);
    if (record.status == KeyStatus::Active)
        text = QObject::tr("● %1 (signs)").arg(text);
    if (record.remote)
        text += QObject::tr(" (remote)");
    if (record.status == KeyStatus::VerifyOnly && record.retireAfter.isValid()) {
        const qint64 days = QDate::currentDate().daysTo(record.retireAfter.toLocalTime().date());
        const QString date = record.retireAfter.toLocalTime().date().toString(Qt::ISODate);
        text += days > 1 ? QObject::tr(", retire after %1 (%2 days left)").arg(date).arg(days)
            : days == 1  ? QObject::tr(", retire after %1 (1 day left)").arg(date)
            : days == 0  ? QObject::tr(", retire after %1 (today)").arg(date)
                         : QObject::tr(", retire after %1 (due)").arg(date);
    }
    return text;
}

int statusOrder(KeyStatus status)
{
    switch (status) {
    case KeyStatus::Active:
        return 0;
    case KeyStatus::VerifyOnly:
        return 1;
    default:
        return 2;
    }
}

} // namespace

KeyManagerWindow::KeyManagerWindow(KeyStore* store, QWidget* parent)
    : QMainWindow(parent)
    , m_store(store)
    , m_table(new QTableWidget(this))
    , m_banner(new QLabel(this))
    , m_info(new QLabel(this))
    , m_pem(new QPlainTextEdit(this))
    , m_jwk(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("keyManagerWindow"));
    setWindowTitle(tr("Keys — JWT Inspector"));
    m_generate = makeAction(this, tr("Generate…"), QStringLiteral("generateAction"), tr("Generate a new key"));
    m_rotate = makeAction(this, tr("Rotate…"), QStringLiteral("rotateAction"),
                          tr("Replace the selected key set's active key; the old one stays verify-only"));
    m_retire = makeAction(this, tr("Retire"), QStringLiteral("retireAction"),
                          tr("Take a verify-only key out of its set's JWKS"));
    m_delete = makeAction(this, tr("Delete…"), QStringLiteral("deleteAction"),
                          tr("Remove the key from the keychain and the index"));
    m_import = makeAction(this, tr("Import…"), QStringLiteral("importAction"),
                          tr("Import PEM, DER, certificate, JWK, JWKS or an HMAC secret"));
    m_exportPem = makeAction(this, tr("Public PEM…"), QStringLiteral("exportPublicPemAction"),
                             tr("Export the public key as PEM"));
    m_exportJwk = makeAction(this, tr("Public JWK…"), QStringLiteral("exportPublicJwkAction"),
                             tr("Export the public key as a JWK"));
    m_exportJwks = makeAction(this, tr("Set JWKS…"), QStringLiteral("exportJwksAction"),
                              tr("Export the key set's JWKS: its active and verify-only keys"));
    m_exportPrivate = makeAction(this, tr("Private (encrypted)…"), QStringLiteral("exportPrivateAction"),
                                 tr("Export the private key as passphrase-encrypted PKCS#8"));
    m_exportPrivateJwk = makeAction(this, tr("Private JWK…"), QStringLiteral("exportPrivateJwkAction"),
                                    tr("Export the private key as an unencrypted JWK"));
    m_fetchRemote = makeAction(this, tr("Fetch remote…"), QStringLiteral("fetchRemoteAction"),
                               tr("Fetch a JWKS from a URL or an OpenID issuer"));
    m_refreshRemote = makeAction(this, tr("Refresh"), QStringLiteral("refreshRemoteAction"),
                                 tr("Fetch the selected remote key set again"));
    m_retry = makeAction(this, tr("Retry storing"), QStringLiteral("retryAction"),
                         tr("Store a key the keychain refused, again"));

    m_check = makeAction(this, tr("Check"), QStringLiteral("checkAction"),
                         tr("Find keychain secrets without an index entry and entries without a secret"));
    m_findingList = new QListWidget(this);
    m_findingList->setObjectName(QStringLiteral("checkFindings"));
    m_checkStatus = new QLabel(tr("Not checked yet."), this);
    m_checkStatus->setObjectName(QStringLiteral("checkStatus"));
    m_checkStatus->setWordWrap(true);
    m_repairAdopt = new QPushButton(tr("Repair, adopting orphaned secrets as keys"), this);
    m_repairAdopt->setObjectName(QStringLiteral("repairAdoptButton"));
    m_repairRemove = new QPushButton(tr("Repair, removing orphaned secrets"), this);
    m_repairRemove->setObjectName(QStringLiteral("repairRemoveButton"));
    m_repairAdopt->setEnabled(false);
    m_repairRemove->setEnabled(false);

    auto* toolbar = addToolBar(tr("Keys"));
    toolbar->setObjectName(QStringLiteral("keysToolbar"));
    toolbar->setMovable(false);
    toolbar->addActions({m_generate, m_rotate, m_retire, m_import, m_fetchRemote, m_refreshRemote});
    toolbar->addSeparator();
    auto* exportMenu = new QMenu(this);
    exportMenu->addActions({m_exportPem, m_exportJwk, m_exportJwks});
    exportMenu->addSeparator();
    exportMenu->addActions({m_exportPrivate, m_exportPrivateJwk});
    auto* exportButton = new QToolButton(toolbar);
    exportButton->setObjectName(QStringLiteral("exportButton"));
    exportButton->setText(tr("Export"));
    exportButton->setMenu(exportMenu);
    exportButton->setPopupMode(QToolButton::InstantPopup);
    toolbar->addWidget(exportButton);
    toolbar->addSeparator();
    toolbar->addActions({m_retry, m_delete});
    toolbar->addSeparator();
    toolbar->addAction(m_check);

    m_table->setObjectName(QStringLiteral("keyTable"));
    m_table->setColumnCount(ColumnCount);
    m_table->setHorizontalHeaderLabels(
        {tr("Name"), tr("Key set"), tr("Alg"), tr("kid"), tr("Status"), tr("Created"), tr("Thumbprint")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    // A kid is an identity: its two ends tell keys apart, so a narrow column keeps both.
    m_table->setTextElideMode(Qt::ElideMiddle);

    m_banner->setObjectName(QStringLiteral("keychainBanner"));
    m_banner->setWordWrap(true);
    m_banner->setMargin(6);
    m_banner->hide();
    m_info->setObjectName(QStringLiteral("detailInfo"));
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (QPlainTextEdit* view : {m_pem, m_jwk}) {
        view->setReadOnly(true);
        view->setFont(mono);
        view->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    m_pem->setObjectName(QStringLiteral("detailPem"));
    m_jwk->setObjectName(QStringLiteral("detailJwk"));
    auto* tabs = new QTabWidget(this);
    tabs->addTab(m_pem, tr("Public key (PEM)"));
    tabs->addTab(m_jwk, tr("Public JWK"));
    auto* consistency = new QWidget(this);
    auto* consistencyLayout = new QVBoxLayout(consistency);
    consistencyLayout->addWidget(m_checkStatus);
    consistencyLayout->addWidget(m_findingList, 1);
    auto* repairButtons = new QHBoxLayout;
    repairButtons->addWidget(m_repairAdopt);
    repairButtons->addWidget(m_repairRemove);
    repairButtons->addStretch(1);
    consistencyLayout->addLayout(repairButtons);
    tabs->addTab(consistency, tr("Consistency"));
    connect(m_check, &QAction::triggered, this, [this, tabs, consistency] {
        tabs->setCurrentWidget(consistency);
        checkConsistency();
    });
    connect(m_repairAdopt, &QPushButton::clicked, this, [this] { repairFindings(false); });
    connect(m_repairRemove, &QPushButton::clicked, this, [this] { repairFindings(true); });
    auto* details = new QWidget(this);
    auto* detailLayout = new QVBoxLayout(details);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_info);
    detailLayout->addWidget(tabs, 1);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->addWidget(m_banner);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);
    WindowPlacement::fitOnScreen(this, QSize(1100, 680));

    connect(m_store, &KeyStore::recordsChanged, this, &KeyManagerWindow::refreshTable);
    connect(m_store, &KeyStore::pendingChanged, this, &KeyManagerWindow::refreshTable);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        showDetails();
        updateActions();
    });
    connect(m_generate, &QAction::triggered, this, [this] { openWizard(false); });
    connect(m_rotate, &QAction::triggered, this, [this] { openWizard(true); });
    connect(m_retire, &QAction::triggered, this, &KeyManagerWindow::retireSelected);
    connect(m_delete, &QAction::triggered, this, &KeyManagerWindow::deleteSelected);
    connect(m_import, &QAction::triggered, this, &KeyManagerWindow::openImportDialog);
    connect(m_fetchRemote, &QAction::triggered, this, &KeyManagerWindow::openRemoteDialog);
    connect(m_refreshRemote, &QAction::triggered, this, &KeyManagerWindow::refreshSelectedRemote);
    connect(m_retry, &QAction::triggered, this, &KeyManagerWindow::retrySelected);
    connect(m_exportPem, &QAction::triggered, this, [this] { exportSelectedPublic(QStringLiteral("pem")); });
    connect(m_exportJwk, &QAction::triggered, this, [this] { exportSelectedPublic(QStringLiteral("jwk")); });
    connect(m_exportJwks, &QAction::triggered, this, [this] { exportSelectedPublic(QStringLiteral("jwks")); });
    connect(m_exportPrivate, &QAction::triggered, this, [this] { exportSelectedPrivate(false); });
    connect(m_exportPrivateJwk, &QAction::triggered, this, [this] { exportSelectedPrivate(true); });
    refreshTable();
}

void KeyManagerWindow::checkConsistency()
{
    if (m_checking)
        return;
    m_checking = true;
    m_check->setEnabled(false);
    m_repairAdopt->setEnabled(false);
    m_repairRemove->setEnabled(false);
    m_checkStatus->setText(tr("Checking the keychain and the index…"));
    KeystoreChecker::check(*m_store, this, [this](Result<std::vector<KeystoreFinding>> found) {
        m_checking = false;
        m_check->setEnabled(true);
        m_findingList->clear();
        m_findings.clear();
        if (!found) {
            m_checkStatus->setText(tr("The check could not run: %1").arg(found.message()));
            emit checkFinished();
            return;
        }
        m_findings = std::move(found).value();
        for (const KeystoreFinding& finding : m_findings)
            m_findingList->addItem(finding.describe());
        m_checkStatus->setText(m_findings.empty()
                                   ? tr("Consistent: every index entry has its secret, and every secret of this app "
                                        "has its entry.")
                                   : tr("%n inconsistenc(ies) found.", nullptr, int(m_findings.size())));
        m_repairAdopt->setEnabled(!m_findings.empty());
        m_repairRemove->setEnabled(!m_findings.empty());
        emit checkFinished();
    });
}

void KeyManagerWindow::repairFindings(bool removeOrphans)
{
    if (m_checking || m_findings.empty())
        return;
    m_checking = true;
    m_repairAdopt->setEnabled(false);
    m_repairRemove->setEnabled(false);
    m_check->setEnabled(false);
    m_checkStatus->setText(tr("Repairing…"));
    RepairOptions options;
    options.removeOrphans = removeOrphans;
    options.graceSeconds = m_repairGrace;
    KeystoreChecker::repair(*m_store, m_findings, options, this, [this](Result<QStringList> repaired) {
        m_checking = false;
        m_check->setEnabled(true);
        if (!repaired) {
            m_checkStatus->setText(tr("The repair failed: %1").arg(repaired.message()));
            emit checkFinished();
            return;
        }
        // Check again, so the list shows what is left (nothing, when the repair did everything).
        checkConsistency();
    });
}

void KeyManagerWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (!m_loaded) {
        m_loaded = true;
        reloadIndex();
    }
}

void KeyManagerWindow::keyPressEvent(QKeyEvent* event)
{
    // A tool window closes on Esc, as a dialog does (a key still being stored stays in the store, not the window).
    if (event->key() == Qt::Key_Escape && event->modifiers() == Qt::NoModifier) {
        close();
        return;
    }
    QMainWindow::keyPressEvent(event);
}

void KeyManagerWindow::reloadIndex()
{
    if (auto loaded = m_store->reload(); !loaded)
        setBanner(tr("The key index cannot be read: %1").arg(loaded.message()), true);
}

void KeyManagerWindow::setBanner(const QString& text, bool problem)
{
    m_banner->setText(text);
    // The shared palette's pairs, so the banner reads in the dark theme too.
    const Palette::Role role = problem ? Palette::Role::Error : Palette::Role::Info;
    m_banner->setStyleSheet(QStringLiteral("background: %1; color: %2; border-radius: 4px;")
                                .arg(Palette::background(role).name(), Palette::text(role).name()));
    m_banner->setVisible(!text.isEmpty());
}

QString KeyManagerWindow::bannerText() const
{
    return m_banner->isVisible() ? m_banner->text() : QString();
}

void KeyManagerWindow::refreshTable()
{
    const QString keep = selectedId();
    m_shownRecords = m_store->records();
    // Grouped by key set, each set's active key first, then the keys that still verify, then the retired ones.
    std::stable_sort(m_shownRecords.begin(), m_shownRecords.end(), [](const KeyRecord& a, const KeyRecord& b) {
        if (a.keySet != b.keySet)
            return a.keySet < b.keySet;
        if (statusOrder(a.status) != statusOrder(b.status))
            return statusOrder(a.status) < statusOrder(b.status);
        return a.created > b.created;
    });
    const auto& pending = m_store->pendingKeys();
    m_table->setRowCount(int(m_shownRecords.size() + pending.size()));
    auto setRow = [this](int row, const KeyRecord& record, const QString& status) {
        const QString created = record.created.isValid()
            ? record.created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
            : QString();
        const QString cells[ColumnCount] = {
            record.name, record.keySet, record.alg, record.kid, status, created,
            // Shown only where it says something the kid does not.
            record.thumbprint.isEmpty() || record.thumbprint == record.kid ? QStringLiteral("—") : record.thumbprint};
        const bool retired = record.status == KeyStatus::Retired;
        for (int column = 0; column < ColumnCount; ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setData(Qt::UserRole, record.id);
            item->setToolTip(column == ThumbprintColumn && cells[column] == QStringLiteral("—")
                                 ? tr("The same as the kid, or none")
                                 : cells[column]);
            if (retired) // out of every JWKS: kept in the list, dimmed
                item->setForeground(palette().color(QPalette::PlaceholderText));
            if (record.status == KeyStatus::Active && column == StatusColumn) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            m_table->setItem(row, column, item);
        }
    };
    int row = 0;
    for (const KeyRecord& record : m_shownRecords)
        setRow(row++, record, statusText(record));
    for (const PendingKey& key : pending)
        setRow(row++, key.record, tr("not stored: %1").arg(key.error.message));
    m_table->resizeColumnsToContents();
    if (m_table->columnWidth(KidColumn) > 220)
        m_table->setColumnWidth(KidColumn, 220);
    if (!pending.empty()) {
        setBanner(tr("%n key(s) could not be stored and exist only in memory: %1. Retry, or export them encrypted "
                     "before closing.",
                     nullptr, int(pending.size()))
                      .arg(pending.back().error.message),
                  true);
    }
    selectKey(keep);
    showDetails();
    updateActions();
}

void KeyManagerWindow::selectKey(const QString& id)
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, 0)->data(Qt::UserRole).toString() == id) {
            m_table->selectRow(row);
            return;
        }
    }
    if (m_table->rowCount() > 0 && !id.isEmpty())
        m_table->clearSelection();
}

QString KeyManagerWindow::selectedId() const
{
    const auto rows = m_table->selectionModel() ? m_table->selectionModel()->selectedRows() : QModelIndexList();
    if (rows.isEmpty())
        return {};
    return m_table->item(rows.first().row(), 0)->data(Qt::UserRole).toString();
}

const KeyRecord* KeyManagerWindow::selectedRecord() const
{
    const QString id = selectedId();
    for (const KeyRecord& record : m_shownRecords) {
        if (record.id == id)
            return &record;
    }
    return nullptr;
}

const PendingKey* KeyManagerWindow::selectedPending() const
{
    return m_store->pending(selectedId());
}

void KeyManagerWindow::showDetails()
{
    const KeyRecord* record = selectedRecord();
    const PendingKey* pending = selectedPending();
    if (!record && !pending) {
        m_info->setText(m_store->records().empty() && m_store->pendingKeys().empty()
                            ? tr("No keys yet. Generate one, import one, or fetch a remote JWKS.")
                            : tr("Select a key to see its public half."));
        m_pem->clear();
        m_jwk->clear();
        return;
    }
    const KeyRecord& shown = record ? *record : pending->record;
    QString info = tr("%1 — %2\nSet %3 · %4 · %5 · created %6")
                       .arg(shown.name, shown.description, shown.keySet, shown.alg,
                            pending ? tr("not stored") : keyStatusName(shown.status),
                            shown.created.toLocalTime().toString(Qt::ISODate));
    info += tr("\nkid %1").arg(shown.kid);
    if (shown.retireAfter.isValid())
        info += tr(" · retire after %1").arg(shown.retireAfter.toLocalTime().toString(Qt::ISODate));
    if (shown.remote)
        info += tr("\nFetched from %1 at %2").arg(shown.jwksUrl, shown.fetched.toLocalTime().toString(Qt::ISODate));
    else if (!shown.source.isEmpty())
        info += tr("\nSource: %1").arg(shown.source);
    m_info->setText(info);
    Result<Key> key = pending
        ? Result<Key>(pending->key.type() == KeyType::Oct ? Result<Key>(Error{ErrorCode::KeyInvalid, QString()})
                                                          : Result<Key>(pending->key.publicOnly()))
        : shown.publicKey();
    if (!key || shown.kty == QLatin1String("oct")) {
        const QString text = tr("An HMAC secret has no public half. It stays in the keychain; export it only as a "
                                "private JWK.");
        m_pem->setPlainText(text);
        m_jwk->setPlainText(text);
        return;
    }
    Key publicKey = *key;
    publicKey.metadata.kid = shown.kid;
    publicKey.metadata.alg = shown.alg;
    m_pem->setPlainText(QString::fromLatin1(exportPublicPem(publicKey)));
    m_jwk->setPlainText(QString::fromUtf8(exportJwk(publicKey)));
}

void KeyManagerWindow::updateActions()
{
    const KeyRecord* record = selectedRecord();
    const PendingKey* pending = selectedPending();
    const bool asymmetric = record && record->kty != QLatin1String("oct");
    m_rotate->setEnabled(!m_busy && record && m_store->activeKey(record->keySet) && !record->remote);
    m_retire->setEnabled(!m_busy && record && record->status == KeyStatus::VerifyOnly);
    m_delete->setEnabled(!m_busy && (record || pending));
    m_exportPem->setEnabled(asymmetric);
    m_exportJwk->setEnabled(asymmetric);
    m_exportJwks->setEnabled(record != nullptr);
    m_exportPrivate->setEnabled(
        !m_busy && ((record && record->hasSecret && asymmetric) || (pending && pending->key.type() != KeyType::Oct)));
    m_exportPrivateJwk->setEnabled(!m_busy && ((record && record->hasSecret) || pending));
    m_refreshRemote->setEnabled(!m_busy && record && record->remote);
    m_retry->setEnabled(!m_busy && pending);
}

KeyWizard* KeyManagerWindow::openWizard(bool rotateSelectedSet)
{
    if (m_wizard)
        m_wizard->close();
    m_wizard = new KeyWizard(m_store, this);
    m_wizard->setAttribute(Qt::WA_DeleteOnClose);
    if (rotateSelectedSet) {
        if (const KeyRecord* record = selectedRecord())
            m_wizard->startRotation(record->keySet);
    }
    KeyWizard* wizard = m_wizard;
    connect(wizard, &QWizard::finished, this, [this, wizard] {
        const QString id = wizard->storedRecord().id;
        if (!id.isEmpty())
            selectKey(id);
    });
    m_wizard->show();
    return m_wizard;
}

KeyImportDialog* KeyManagerWindow::openImportDialog()
{
    auto* dialog = new KeyImportDialog(m_store, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &KeyImportDialog::imported, this,
            [this](int count) { setBanner(tr("Imported %n key(s).", nullptr, count), false); });
    dialog->open();
    return dialog;
}

RemoteJwksDialog* KeyManagerWindow::openRemoteDialog()
{
    auto* dialog = new RemoteJwksDialog(m_store, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void KeyManagerWindow::retireSelected()
{
    const KeyRecord* record = selectedRecord();
    if (!record)
        return;
    const QString name = record->name;
    if (auto retired = m_store->retire(record->id); !retired)
        setBanner(retired.message(), true);
    else
        setBanner(tr("Retired \"%1\": it is no longer in its set's JWKS.").arg(name), false);
}

void KeyManagerWindow::deleteSelected()
{
    const KeyRecord* record = selectedRecord();
    const PendingKey* pending = selectedPending();
    if (pending && !record) {
        if (KeyPrompts::confirm(
                this, tr("Discard key"),
                tr("Discard \"%1\"? It was never stored; once discarded it is gone.").arg(pending->record.name)))
            m_store->discardPending(pending->record.id);
        return;
    }
    if (!record)
        return;
    const KeyRecord copy = *record;
    const QString question = copy.status == KeyStatus::Active
        ? tr("Delete \"%1\"? It is the active key of set \"%2\": tokens can no longer be signed with it, and "
             "tokens it signed stop verifying. This removes it from the keychain and the index.")
              .arg(copy.name, copy.keySet)
        : tr("Delete \"%1\"? This removes it from the keychain and the index.").arg(copy.name);
    if (!KeyPrompts::confirm(this, tr("Delete key"), question))
        return;
    m_busy = true;
    updateActions();
    setBanner(tr("Deleting \"%1\"…").arg(copy.name), false);
    m_store->remove(copy.id, this, [this, copy](Result<void> removed) {
        m_busy = false;
        setBanner(removed ? tr("Deleted \"%1\".").arg(copy.name)
                          : tr("\"%1\" was not deleted: %2").arg(copy.name, removed.message()),
                  !removed);
        updateActions();
    });
}

void KeyManagerWindow::retrySelected()
{
    const PendingKey* pending = selectedPending();
    if (!pending)
        return;
    m_busy = true;
    updateActions();
    m_store->retry(pending->record.id, this, [this](Result<KeyRecord> stored) {
        m_busy = false;
        setBanner(stored ? tr("Stored \"%1\".").arg(stored->name) : tr("Still not stored: %1").arg(stored.message()),
                  !stored);
        updateActions();
    });
}

void KeyManagerWindow::refreshSelectedRemote()
{
    const KeyRecord* record = selectedRecord();
    if (!record || !record->remote)
        return;
    const KeyRecord copy = *record;
    auto* fetcher = new JwksFetcher(this);
    m_busy = true;
    updateActions();
    setBanner(tr("Fetching %1…").arg(copy.jwksUrl), false);
    fetcher->fetch(QUrl(copy.jwksUrl), JwksFetcher::Mode::JwksUrl, [this, fetcher, copy](Result<FetchedJwks> result) {
        fetcher->deleteLater();
        m_busy = false;
        if (!result) {
            setBanner(tr("Not refreshed: %1").arg(result.message()), true);
            updateActions();
            return;
        }
        RemoteKeySet remote{copy.source, copy.jwksUrl, copy.keySet, result->fetched, result->keys};
        auto added = m_store->addRemote(remote);
        setBanner(added ? tr("Refreshed: %n key(s) from %1.", nullptr, int(added->size())).arg(copy.jwksUrl)
                        : tr("Not refreshed: %1").arg(added.message()),
                  !added);
        updateActions();
    });
}

void KeyManagerWindow::writeExport(const QString& caption, const QString& suggestedName, QByteArray bytes)
{
    const QString fileName = FileDialogs::getSaveFileName(this, caption, suggestedName);
    if (fileName.isEmpty()) {
        wipeBytes(bytes);
        return;
    }
    const QString problem = saveBytesTo(fileName, bytes);
    wipeBytes(bytes);
    setBanner(problem.isEmpty() ? tr("Written to %1.").arg(fileName) : problem, !problem.isEmpty());
}

void KeyManagerWindow::exportSelectedPublic(const QString& format)
{
    const KeyRecord* record = selectedRecord();
    if (!record)
        return;
    if (format == QLatin1String("jwks")) {
        writeExport(tr("Export the JWKS of set \"%1\"").arg(record->keySet),
                    QStringLiteral("%1-jwks.json").arg(record->keySet), m_store->keySetJwks(record->keySet));
        return;
    }
    auto key = record->publicKey();
    if (!key) {
        setBanner(key.message(), true);
        return;
    }
    const bool pem = format == QLatin1String("pem");
    writeExport(tr("Export the public key"), pem ? QStringLiteral("public-key.pem") : QStringLiteral("public-key.jwk"),
                pem ? exportPublicPem(*key) : exportJwk(*key));
}

void KeyManagerWindow::exportSelectedPrivate(bool asJwk)
{
    const KeyRecord* record = selectedRecord();
    const PendingKey* pending = selectedPending();
    if (!record && !pending)
        return;
    if (asJwk
        && !KeyPrompts::confirm(this, tr("Export an unencrypted private key"),
                                tr("The JWK will hold the private key in plain text. Anyone who reads the file can "
                                   "sign tokens as you. Prefer the encrypted PEM export unless a tool needs a JWK. "
                                   "Continue?")))
        return;
    std::optional<SecretBytes> passphrase;
    if (!asJwk) {
        passphrase = KeyPrompts::newPassphrase(this, tr("Passphrase for the exported key"));
        if (!passphrase)
            return;
    }
    auto write = [this, asJwk, passphrase](const Key& key) {
        if (asJwk) {
            writeExport(tr("Export the private JWK"), QStringLiteral("private-key.jwk"), exportJwk(key, true));
            return;
        }
        auto pem = exportPrivatePem(key, *passphrase);
        if (!pem) {
            setBanner(pem.message(), true);
            return;
        }
        writeExport(tr("Export the private key (encrypted PKCS#8)"), QStringLiteral("private-key.pem"), *pem);
    };
    if (pending) {
        write(pending->key);
        return;
    }
    m_busy = true;
    updateActions();
    setBanner(tr("Reading \"%1\" from the keychain…").arg(record->name), false);
    m_store->loadPrivate(record->id, this, [this, write](Result<Key> key) {
        m_busy = false;
        updateActions();
        if (!key) {
            setBanner(tr("Not exported: %1").arg(key.message()), true);
            return;
        }
        setBanner({}, false);
        write(*key);
    });
}

} // namespace jwti
