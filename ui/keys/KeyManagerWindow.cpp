#include "keys/KeyManagerWindow.h"

#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyPolicy.h"
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
#include <QSet>
#include <QSplitter>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace jwti {

namespace {

enum Column { NameColumn, UseColumn, AlgColumn, KidColumn, StatusColumn, CreatedColumn, ThumbprintColumn, ColumnCount };

// Item data: a key's row carries its record id, a set's row its set name (and no id).
constexpr int IdRole = Qt::UserRole;
constexpr int SetRole = Qt::UserRole + 1;

QAction* makeAction(QObject* parent, const QString& text, const QString& objectName, const QString& tip)
{
    auto* action = new QAction(text, parent);
    action->setObjectName(objectName);
    action->setToolTip(tip);
    return action;
}

QString useText(KeyUse use)
{
    return use == KeyUse::Signing ? QObject::tr("signing") : QObject::tr("encryption");
}

// What rotation is about, in the status: which key signs (or is encrypted to), and how long an old one still verifies
// (or decrypts).
QString statusText(const KeyRecord& record)
{
    QString text = keyStatusName(record.status);
    if (record.status == KeyStatus::Active)
        text = record.use == KeyUse::Signing ? QObject::tr("● %1 (signs)").arg(text)
                                             : QObject::tr("● %1 (encrypted to)").arg(text);
    if (record.remote)
        text += QObject::tr(" (remote)");
    if (record.status == KeyStatus::VerifyOnly && record.retireAfter.isValid()) {
        const qint64 days = daysUntil(record.retireAfter.toLocalTime(), QDateTime::currentDateTime());
        const QString date = record.retireAfter.toLocalTime().date().toString(Qt::ISODate);
        text += days > 1 ? QObject::tr(" until %1 (%2 days left)").arg(date).arg(days)
            : days == 1  ? QObject::tr(" until %1 (1 day left)").arg(date)
            : days == 0  ? QObject::tr(" until %1 (retire today)").arg(date)
                         : QObject::tr(" until %1 (retire now)").arg(date);
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
    , m_tree(new QTreeWidget(this))
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
                          tr("Remove the key from the keychain and the index (Delete in the list)"));
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

    m_tree->setObjectName(QStringLiteral("keyTree"));
    m_tree->setAccessibleName(tr("Keys by key set"));
    m_tree->setAccessibleDescription(tr("Each key set with its keys: Enter opens, Delete deletes the selected key"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels(
        {tr("Name"), tr("Use"), tr("Alg"), tr("kid"), tr("Status"), tr("Created"), tr("Thumbprint")});
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setUniformRowHeights(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setWordWrap(false);
    m_tree->header()->setStretchLastSection(true);
    // A kid is an identity: its two ends tell keys apart, so a narrow column keeps both.
    m_tree->setTextElideMode(Qt::ElideMiddle);
    // Enter and Delete on the list (eventFilter): the item views' own handling of them differs between styles.
    m_tree->installEventFilter(this);

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
    m_tabs = tabs;
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
    splitter->addWidget(m_tree);
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
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, [this] {
        showDetails();
        updateActions();
    });
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, &KeyManagerWindow::openItem);
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

bool KeyManagerWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_tree && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->modifiers() == Qt::NoModifier || key->modifiers() == Qt::KeypadModifier) {
            if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
                openItem(m_tree->currentItem());
                return true;
            }
            // Delete deletes the selected key, with the same confirmation as the toolbar's button.
            if (key->key() == Qt::Key_Delete && m_delete->isEnabled()) {
                deleteSelected();
                return true;
            }
        }
    }
    return QMainWindow::eventFilter(watched, event);
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

QTreeWidgetItem* KeyManagerWindow::addKeyItem(QTreeWidgetItem* setItem, const KeyRecord& record, const QString& status,
                                              bool pending)
{
    const QString created = record.created.isValid()
        ? record.created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
        : QString();
    // Shown only where it says something the kid does not.
    const bool thumbprintDiffers = !record.thumbprint.isEmpty() && record.thumbprint != record.kid;
    // The use is the set's (shown on its row); a key says it only when it is the less usual one, encryption.
    const QString cells[ColumnCount] = {
        record.name, record.use == KeyUse::Encryption ? useText(record.use) : QString(), record.alg, record.kid, status,
        created,     thumbprintDiffers ? record.thumbprint : QStringLiteral("—")};
    auto* item = new QTreeWidgetItem(setItem);
    const bool retired = record.status == KeyStatus::Retired && !pending;
    for (int column = 0; column < ColumnCount; ++column) {
        item->setText(column, cells[column]);
        item->setToolTip(column,
                         column == ThumbprintColumn && !thumbprintDiffers ? tr("The same as the kid, or none")
                                                                          : cells[column]);
        if (retired) // out of every JWKS: kept in the list, dimmed
            item->setForeground(column, palette().color(QPalette::PlaceholderText));
    }
    if (record.status == KeyStatus::Active && !pending) {
        QFont bold = item->font(StatusColumn);
        bold.setBold(true);
        item->setFont(StatusColumn, bold);
    }
    item->setData(0, IdRole, record.id);
    item->setData(0, SetRole, record.keySet);
    // What a screen reader says of the row: the name, status, use, alg and the kid, in reading order.
    item->setData(
        0, Qt::AccessibleTextRole,
        tr("%1, %2, %3 key, %4, kid %5").arg(record.name, status, useText(record.use), record.alg, record.kid));
    return item;
}

void KeyManagerWindow::refreshTable()
{
    const QString keep = selectedId();
    const QString keepSet = selectedSet();
    // A set the user folded stays folded across a refresh; new sets open.
    QSet<QString> folded;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        if (!m_tree->topLevelItem(i)->isExpanded())
            folded.insert(m_tree->topLevelItem(i)->data(0, SetRole).toString());
    }
    m_shownRecords = m_store->records();
    // Grouped by key set, each set's active key first, then the keys that still verify, then the retired ones.
    std::stable_sort(m_shownRecords.begin(), m_shownRecords.end(), [](const KeyRecord& a, const KeyRecord& b) {
        if (a.keySet != b.keySet)
            return a.keySet < b.keySet;
        if (statusOrder(a.status) != statusOrder(b.status))
            return statusOrder(a.status) < statusOrder(b.status);
        return a.created > b.created;
    });
    const QSignalBlocker blocker(m_tree);
    m_tree->clear();
    QHash<QString, QTreeWidgetItem*> sets;
    auto setItem = [this, &sets](const QString& keySet) {
        if (auto found = sets.constFind(keySet); found != sets.constEnd())
            return *found;
        auto* item = new QTreeWidgetItem(m_tree);
        item->setText(NameColumn, keySet);
        QFont bold = item->font(NameColumn);
        bold.setBold(true);
        item->setFont(NameColumn, bold);
        item->setData(0, SetRole, keySet);
        sets.insert(keySet, item);
        return item;
    };
    // A set holds keys of one use (the key store sees to it): the first key's is the set's.
    QHash<QString, KeyUse> setUses;
    for (const KeyRecord& record : m_shownRecords) {
        addKeyItem(setItem(record.keySet), record, statusText(record), false);
        setUses.insert(record.keySet, setUses.value(record.keySet, record.use));
    }
    const auto& pending = m_store->pendingKeys();
    for (const PendingKey& key : pending) {
        addKeyItem(setItem(key.record.keySet), key.record, tr("not stored: %1").arg(key.error.message), true);
        setUses.insert(key.record.keySet, setUses.value(key.record.keySet, key.record.use));
    }
    for (auto it = sets.constBegin(); it != sets.constEnd(); ++it) {
        QTreeWidgetItem* item = *it;
        const auto active = m_store->activeKey(it.key());
        const int count = item->childCount();
        const KeyUse use = setUses.value(it.key(), KeyUse::Signing);
        const QString keys = count == 1 ? tr("1 key") : tr("%1 keys").arg(count);
        item->setText(UseColumn, useText(use));
        item->setText(KidColumn, active ? active->kid : QStringLiteral("—"));
        item->setText(StatusColumn, active ? keys : tr("%1, no active key").arg(keys));
        item->setToolTip(KidColumn, active ? tr("Active kid: %1").arg(active->kid) : tr("No active key"));
        item->setData(0, Qt::AccessibleTextRole,
                      active ? tr("Key set %1, %2, %3, active kid %4").arg(it.key(), keys, useText(use), active->kid)
                             : tr("Key set %1, %2, no active key").arg(it.key(), keys));
        item->setExpanded(!folded.contains(it.key()));
    }
    for (int column = 0; column < ColumnCount; ++column)
        m_tree->resizeColumnToContents(column);
    if (m_tree->columnWidth(KidColumn) > 220)
        m_tree->setColumnWidth(KidColumn, 220);
    if (!pending.empty()) {
        setBanner(tr("%n key(s) could not be stored and exist only in memory: %1. Retry, or export them encrypted "
                     "before closing.",
                     nullptr, int(pending.size()))
                      .arg(pending.back().error.message),
                  true);
    }
    if (!keep.isEmpty())
        selectKey(keep);
    else if (!keepSet.isEmpty())
        selectSet(keepSet);
    showDetails();
    updateActions();
}

void KeyManagerWindow::selectKey(const QString& id)
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem* set = m_tree->topLevelItem(i);
        for (int j = 0; j < set->childCount(); ++j) {
            if (set->child(j)->data(0, IdRole).toString() == id) {
                set->setExpanded(true);
                m_tree->setCurrentItem(set->child(j));
                return;
            }
        }
    }
    if (!id.isEmpty())
        m_tree->clearSelection();
}

void KeyManagerWindow::selectSet(const QString& keySet)
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        if (m_tree->topLevelItem(i)->data(0, SetRole).toString() == keySet) {
            m_tree->setCurrentItem(m_tree->topLevelItem(i));
            return;
        }
    }
}

QString KeyManagerWindow::selectedId() const
{
    const auto selected = m_tree->selectedItems();
    return selected.isEmpty() ? QString() : selected.first()->data(0, IdRole).toString();
}

QString KeyManagerWindow::selectedSet() const
{
    const auto selected = m_tree->selectedItems();
    return selected.isEmpty() ? QString() : selected.first()->data(0, SetRole).toString();
}

void KeyManagerWindow::openItem(QTreeWidgetItem* item)
{
    if (!item)
        return;
    if (item->childCount() > 0 || item->data(0, IdRole).toString().isEmpty()) {
        item->setExpanded(!item->isExpanded());
        return;
    }
    // A key opens onto its public half.
    m_tabs->setCurrentIndex(0);
    m_tabs->currentWidget()->setFocus(Qt::OtherFocusReason);
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
        const QString keySet = selectedSet();
        const auto active = keySet.isEmpty() ? std::nullopt : m_store->activeKey(keySet);
        m_info->setText(m_store->records().empty() && m_store->pendingKeys().empty()
                            ? tr("No keys yet. Generate one, import one, or fetch a remote JWKS.")
                            : active
                            ? tr("Key set %1: its active key is \"%2\" (kid %3). Its JWKS holds the active and "
                                 "verify-only keys; Rotate replaces the active one.")
                                  .arg(keySet, active->name, active->kid)
                            : tr("Select a key to see its public half."));
        m_pem->clear();
        m_jwk->clear();
        return;
    }
    const KeyRecord& shown = record ? *record : pending->record;
    QString info = tr("%1 — %2\nSet %3 · %4 · %5 · %6 · created %7")
                       .arg(shown.name, shown.description, shown.keySet, useText(shown.use), shown.alg,
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
    if (!key || shown.isSecret()) {
        const QString text = tr("A secret has no public half. It stays in the keychain; export it only as a "
                                "private JWK.");
        m_pem->setPlainText(text);
        m_jwk->setPlainText(text);
        return;
    }
    Key publicKey = *key;
    publicKey.metadata.kid = shown.kid;
    publicKey.metadata.alg = shown.alg;
    publicKey.metadata.use = keyUseJwkName(shown.use);
    m_pem->setPlainText(QString::fromLatin1(exportPublicPem(publicKey)));
    m_jwk->setPlainText(QString::fromUtf8(exportJwk(publicKey)));
}

void KeyManagerWindow::updateActions()
{
    const KeyRecord* record = selectedRecord();
    const PendingKey* pending = selectedPending();
    const bool asymmetric = record && !record->isSecret();
    const QString keySet = selectedSet();
    const auto active = keySet.isEmpty() ? std::nullopt : m_store->activeKey(keySet);
    m_rotate->setEnabled(!m_busy && active && !active->remote);
    m_retire->setEnabled(!m_busy && record && record->status == KeyStatus::VerifyOnly);
    m_delete->setEnabled(!m_busy && (record || pending));
    m_exportPem->setEnabled(asymmetric);
    m_exportJwk->setEnabled(asymmetric);
    m_exportJwks->setEnabled(record != nullptr || !keySet.isEmpty());
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
    if (rotateSelectedSet && !selectedSet().isEmpty())
        m_wizard->startRotation(selectedSet());
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
    if (format == QLatin1String("jwks")) {
        const QString keySet = selectedSet();
        if (keySet.isEmpty())
            return;
        writeExport(tr("Export the JWKS of set \"%1\"").arg(keySet), QStringLiteral("%1-jwks.json").arg(keySet),
                    m_store->keySetJwks(keySet));
        return;
    }
    if (!record)
        return;
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
