// The key manager window and the key wizard, driven offscreen against a private Secret Service: generate, rotate,
// retire, delete, import with preview, fetch a remote JWKS; RSA-4096 generation off the UI thread, cancellable; the
// keys grouped under their sets, driven from the keyboard; an encryption key made in the wizard.
// With JWTI_SCREENSHOT_DIR set, each window and wizard page is also saved as keys-*.png.

#include "KeychainTestFixture.h"
#include "KeystoreTestSupport.h"
#include "LoopbackHttpServer.h"
#include "core/crypto/KeyFormats.h"
#include "core/jose/Jwk.h"
#include "keys/KeyGenerationPage.h"
#include "keys/KeyImportDialog.h"
#include "keys/KeyManagerWindow.h"
#include "keys/KeyPrompts.h"
#include "keys/KeyWizard.h"
#include "keys/RemoteJwksDialog.h"
#include "keystore/KeyStore.h"
#include "shell/FileDialogs.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDate>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

using namespace jwti;

class TestKeyManager : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void wizardGeneratesAndStoresKeyShownInTheList();
    void wizardRotatesSetAndManagerRetiresOldKey();
    void rsa4096IsGeneratedOffTheUiThreadAndCancellable();
    void importShowsPreviewBeforeStoring();
    void remoteDialogKeepsFetchedKeysAsVerifyOnly();
    void groupsKeysUnderTheirSets();
    void treeWorksFromTheKeyboard();
    void deleteAsksThenRemovesFromKeychainAndList();
    void wizardMakesAnEncryptionKeyShownWithItsUse();
    void checkListsOrphanedSecretsAndRepairAdoptsOrRemovesThem();
    void cleanupTestCase();

private:
    void snap(QWidget* widget, const QString& name);
    void next(KeyWizard* wizard);
    QTreeWidget* tree() const;
    QList<QTreeWidgetItem*> keyItems() const;
    QTreeWidgetItem* setItem(const QString& keySet) const;
    int rowOf(const QString& name) const;
    QStringList column(int column) const;

    KeychainTestFixture m_keychain;
    QTemporaryDir m_files;
    KeyStore* m_store = nullptr;
    KeyManagerWindow* m_window = nullptr;
};

void TestKeyManager::initTestCase()
{
    QVERIFY2(m_keychain.start(), qPrintable(m_keychain.problem()));
    m_store = new KeyStore(this);
    m_window = new KeyManagerWindow(m_store);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    snap(m_window, QStringLiteral("keys-empty"));
}

void TestKeyManager::cleanupTestCase()
{
    delete m_window;
}

void TestKeyManager::snap(QWidget* widget, const QString& name)
{
    const QString folder = qEnvironmentVariable("JWTI_SCREENSHOT_DIR");
    if (folder.isEmpty())
        return;
    QDir().mkpath(folder);
    QCoreApplication::processEvents();
    widget->grab().save(folder + QLatin1Char('/') + name + QStringLiteral(".png"));
}

void TestKeyManager::next(KeyWizard* wizard)
{
    // The name page is the commit page: its Next is the Store (or Rotate) button.
    QAbstractButton* button
        = wizard->button(wizard->currentPage()->isCommitPage() ? QWizard::CommitButton : QWizard::NextButton);
    QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), 120000);
    button->click();
}

QTreeWidget* TestKeyManager::tree() const
{
    return m_window->findChild<QTreeWidget*>(QStringLiteral("keyTree"));
}

// The key rows in the order shown, each set's keys after one another.
QList<QTreeWidgetItem*> TestKeyManager::keyItems() const
{
    QList<QTreeWidgetItem*> items;
    for (int i = 0; i < tree()->topLevelItemCount(); ++i) {
        QTreeWidgetItem* set = tree()->topLevelItem(i);
        for (int j = 0; j < set->childCount(); ++j)
            items << set->child(j);
    }
    return items;
}

QTreeWidgetItem* TestKeyManager::setItem(const QString& keySet) const
{
    for (int i = 0; i < tree()->topLevelItemCount(); ++i) {
        if (tree()->topLevelItem(i)->text(0) == keySet)
            return tree()->topLevelItem(i);
    }
    return nullptr;
}

int TestKeyManager::rowOf(const QString& name) const
{
    const QList<QTreeWidgetItem*> items = keyItems();
    for (int row = 0; row < items.size(); ++row) {
        if (items[row]->text(0) == name)
            return row;
    }
    return -1;
}

QStringList TestKeyManager::column(int index) const
{
    QStringList values;
    for (QTreeWidgetItem* item : keyItems())
        values << item->text(index);
    return values;
}

void TestKeyManager::wizardGeneratesAndStoresKeyShownInTheList()
{
    KeyWizard* wizard = m_window->openWizard(false);
    QVERIFY(QTest::qWaitForWindowExposed(wizard));
    QCOMPARE(wizard->currentId(), int(KeyWizard::StartPage));
    snap(wizard, QStringLiteral("keys-wizard-1-start"));
    next(wizard);
    QCOMPARE(wizard->currentId(), int(KeyWizard::FamilyPage));
    wizard->findChild<QRadioButton*>(QStringLiteral("familyEc"))->click();
    snap(wizard, QStringLiteral("keys-wizard-2-family"));
    next(wizard);
    QCOMPARE(wizard->currentId(), int(KeyWizard::ParametersPage));
    wizard->findChild<QComboBox*>(QStringLiteral("ecCurve"))->setCurrentIndex(0);
    QVERIFY(
        wizard->findChild<QLabel*>(QStringLiteral("parametersExplanation"))->text().contains(QLatin1String("P-256")));
    snap(wizard, QStringLiteral("keys-wizard-3-parameters"));
    next(wizard);
    QCOMPARE(wizard->currentId(), int(KeyWizard::GeneratePage));
    QTRY_VERIFY(
        wizard->findChild<QLabel*>(QStringLiteral("generationStatus"))->text().startsWith(QLatin1String("Generated")));
    snap(wizard, QStringLiteral("keys-wizard-4-generate"));
    next(wizard);
    QCOMPARE(wizard->currentId(), int(KeyWizard::NamePage));
    // The kid defaults to the RFC 7638 thumbprint of the new key.
    QCOMPARE(wizard->findChild<QLineEdit*>(QStringLiteral("keyKid"))->text(), thumbprint(wizard->generatedKey()));
    wizard->findChild<QLineEdit*>(QStringLiteral("keyName"))->setText(QStringLiteral("api signer"));
    wizard->findChild<QLineEdit*>(QStringLiteral("keySet"))->setText(QStringLiteral("api"));
    snap(wizard, QStringLiteral("keys-wizard-5-name"));
    next(wizard);
    QCOMPARE(wizard->currentId(), int(KeyWizard::StorePage));
    QTRY_VERIFY_WITH_TIMEOUT(
        wizard->findChild<QLabel*>(QStringLiteral("storeStatus"))->text().startsWith(QLatin1String("Stored")), 60000);
    snap(wizard, QStringLiteral("keys-wizard-6-store"));
    next(wizard);
    QCOMPARE(wizard->currentId(), int(KeyWizard::SummaryPage));
    const QString jwksFile = m_files.filePath(QStringLiteral("api-jwks.json"));
    FileDialogs::setNextFileName(jwksFile);
    wizard->findChild<QPushButton*>(QStringLiteral("summaryExportJwks"))->click();
    QFile exported(jwksFile);
    QVERIFY(exported.open(QIODevice::ReadOnly));
    QCOMPARE(importJwks(exported.readAll())->size(), std::size_t(1));
    snap(wizard, QStringLiteral("keys-wizard-7-summary"));
    wizard->button(QWizard::FinishButton)->click();

    QVERIFY(rowOf(QStringLiteral("api signer")) >= 0);
    const KeyRecord record = m_store->records().front();
    QCOMPARE(record.alg, QStringLiteral("ES256"));
    QVERIFY(!keystoretest::secretToolLookup(record.id).isEmpty());
    m_window->selectKey(record.id);
    QVERIFY(m_window->findChild<QPlainTextEdit*>(QStringLiteral("detailPem"))
                ->toPlainText()
                .startsWith(QLatin1String("-----BEGIN PUBLIC KEY-----")));
    QVERIFY(m_window->findChild<QPlainTextEdit*>(QStringLiteral("detailJwk"))->toPlainText().contains(record.kid));
}

void TestKeyManager::wizardRotatesSetAndManagerRetiresOldKey()
{
    const auto old = m_store->activeKey(QStringLiteral("api"));
    QVERIFY(old);
    m_window->selectKey(old->id);
    KeyWizard* wizard = m_window->openWizard(true);
    QVERIFY(QTest::qWaitForWindowExposed(wizard));
    QCOMPARE(wizard->mode(), KeyWizard::Mode::Rotate);
    QCOMPARE(wizard->rotationSet(), QStringLiteral("api"));
    snap(wizard, QStringLiteral("keys-wizard-rotate-1-start"));
    next(wizard);
    QCOMPARE(wizard->currentId(), int(KeyWizard::GeneratePage));
    next(wizard);
    QCOMPARE(wizard->currentId(), int(KeyWizard::NamePage));
    auto* days = wizard->findChild<QSpinBox*>(QStringLiteral("retireAfterDays"));
    QVERIFY(days->isVisible());
    days->setValue(14);
    snap(wizard, QStringLiteral("keys-wizard-rotate-2-name"));
    next(wizard);
    QTRY_VERIFY_WITH_TIMEOUT(
        wizard->findChild<QLabel*>(QStringLiteral("storeStatus"))->text().startsWith(QLatin1String("Rotated")), 60000);
    // Stored: there is no going back to store again (the issue: Back, Next said "Not stored: … already has a key").
    QVERIFY(!wizard->button(QWizard::BackButton)->isEnabled());
    next(wizard);
    snap(wizard, QStringLiteral("keys-wizard-rotate-3-summary"));
    const QString jwksFile = m_files.filePath(QStringLiteral("rotated-jwks.json"));
    FileDialogs::setNextFileName(jwksFile);
    wizard->findChild<QPushButton*>(QStringLiteral("summaryExportJwks"))->click();
    QFile exported(jwksFile);
    QVERIFY(exported.open(QIODevice::ReadOnly));
    QCOMPARE(importJwks(exported.readAll())->size(), std::size_t(2)); // the new key and the old one
    wizard->button(QWizard::FinishButton)->click();

    QCOMPARE(m_store->record(old->id)->status, KeyStatus::VerifyOnly);
    QVERIFY(m_store->activeKey(QStringLiteral("api"))->id != old->id);
    // The new key reads as the set's next one: the old name with today's date (not "default <date>").
    QCOMPARE(m_store->activeKey(QStringLiteral("api"))->name,
             QStringLiteral("api signer %1").arg(QDate::currentDate().toString(Qt::ISODate)));
    snap(m_window, QStringLiteral("keys-list"));
    // The list shows what rotation did: the set's active key first and marked, the old one with the days it has left.
    QVERIFY(rowOf(m_store->activeKey(QStringLiteral("api"))->name) < rowOf(old->name));
    QVERIFY2(
        column(4).at(rowOf(m_store->activeKey(QStringLiteral("api"))->name)).startsWith(QStringLiteral("● active")),
        qPrintable(column(4).join(QLatin1Char('|'))));
    QVERIFY2(column(4).at(rowOf(old->name)).contains(QLatin1String("(14 days left)")),
             qPrintable(column(4).join(QLatin1Char('|'))));

    m_window->selectKey(old->id);
    auto* retire = m_window->findChild<QAction*>(QStringLiteral("retireAction"));
    QVERIFY(retire->isEnabled());
    retire->trigger();
    QCOMPARE(m_store->record(old->id)->status, KeyStatus::Retired);
    QCOMPARE(importJwks(m_store->keySetJwks(QStringLiteral("api")))->size(), std::size_t(1));
    QVERIFY(m_window->bannerText().contains(QLatin1String("Retired")));
}

void TestKeyManager::rsa4096IsGeneratedOffTheUiThreadAndCancellable()
{
    KeyWizard* wizard = m_window->openWizard(false);
    QVERIFY(QTest::qWaitForWindowExposed(wizard));
    next(wizard);
    wizard->findChild<QRadioButton*>(QStringLiteral("familyRsa"))->click();
    next(wizard);
    wizard->findChild<QComboBox*>(QStringLiteral("rsaBits"))->setCurrentIndex(2);
    QVERIFY(
        wizard->findChild<QLabel*>(QStringLiteral("parametersExplanation"))->text().contains(QLatin1String("4096")));

    // The event loop keeps turning while the worker searches for primes: a 1 ms timer measures the longest gap.
    qint64 longestStallMs = 0;
    QElapsedTimer sinceTick;
    QTimer ticker;
    ticker.setInterval(1);
    connect(&ticker, &QTimer::timeout, this, [&] { longestStallMs = std::max(longestStallMs, sinceTick.restart()); });
    auto* page = qobject_cast<KeyGenerationPage*>(wizard->page(KeyWizard::GeneratePage));
    QVERIFY(page);
    sinceTick.start();
    ticker.start();
    next(wizard);
    QVERIFY(page->isGenerating());
    QTRY_VERIFY_WITH_TIMEOUT(!page->isGenerating(), 300000);
    ticker.stop();
    QVERIFY(page->isComplete());
    QCOMPARE(wizard->generatedKey().bits(), 4096);
    qInfo("RSA-4096 generation: %lld ms; longest event-loop stall meanwhile: %lld ms", page->lastDurationMs(),
          longestStallMs);

    // Generate again, then cancel: nothing is generated and Next stays disabled.
    wizard->findChild<QPushButton*>(QStringLiteral("generateAgain"))->click();
    QVERIFY(page->isGenerating());
    snap(wizard, QStringLiteral("keys-wizard-4-generating-rsa4096"));
    wizard->findChild<QPushButton*>(QStringLiteral("cancelGeneration"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(!page->isGenerating(), 120000);
    QVERIFY(
        wizard->findChild<QLabel*>(QStringLiteral("generationStatus"))->text().startsWith(QLatin1String("Cancelled")));
    QVERIFY(!page->isComplete());
    QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled());
    wizard->reject();
}

void TestKeyManager::importShowsPreviewBeforeStoring()
{
    const std::size_t before = m_store->records().size();
    KeyImportDialog* dialog = m_window->openImportDialog();
    const Key key = keystoretest::generate(QStringLiteral("ES384"));
    dialog->findChild<QPlainTextEdit*>(QStringLiteral("importText"))
        ->setPlainText(QString::fromLatin1(exportPublicPem(key)));
    dialog->findChild<QLineEdit*>(QStringLiteral("importName"))->setText(QStringLiteral("partner key"));
    dialog->findChild<QLineEdit*>(QStringLiteral("importSet"))->setText(QStringLiteral("partner"));
    auto* preview = dialog->findChild<QListWidget*>(QStringLiteral("importPreview"));
    QCOMPARE(preview->count(), 1);
    QVERIFY(preview->item(0)->text().contains(thumbprint(key)));
    QVERIFY(preview->item(0)->text().contains(QLatin1String("verify-only")));
    QVERIFY(preview->item(0)->text().contains(QLatin1String("for signing, alg ES384")));
    // A JWK that says "use": "enc" is previewed as what the store will keep it for.
    Key receiver = keystoretest::generate(QStringLiteral("ES256"));
    receiver.metadata.use = QStringLiteral("enc");
    dialog->findChild<QPlainTextEdit*>(QStringLiteral("importText"))
        ->setPlainText(QString::fromUtf8(exportJwk(receiver.publicOnly())));
    QVERIFY2(preview->item(0)->text().contains(QLatin1String("for encryption, alg ECDH-ES")),
             qPrintable(preview->item(0)->text()));
    dialog->findChild<QPlainTextEdit*>(QStringLiteral("importText"))
        ->setPlainText(QString::fromLatin1(exportPublicPem(key)));
    QCOMPARE(m_store->records().size(), before); // nothing stored by the preview
    snap(dialog, QStringLiteral("keys-import"));
    dialog->findChild<QPushButton*>(QStringLiteral("importButton"))->click();
    QTRY_COMPARE(m_store->records().size(), before + 1);
    QVERIFY(rowOf(QStringLiteral("partner key")) >= 0);
}

void TestKeyManager::remoteDialogKeepsFetchedKeysAsVerifyOnly()
{
    LoopbackHttpServer server;
    QVERIFY(server.listen());
    Key remoteKey = keystoretest::generate(QStringLiteral("RS256"));
    remoteKey.metadata.kid = QStringLiteral("idp-2026");
    server.route(QStringLiteral("/jwks"), {200, exportJwks({remoteKey.publicOnly()}), "application/json", {}, {}});
    RemoteJwksDialog* dialog = m_window->openRemoteDialog();
    dialog->findChild<QLineEdit*>(QStringLiteral("remoteUrl"))->setText(server.url(QStringLiteral("/jwks")).toString());
    dialog->findChild<QLineEdit*>(QStringLiteral("remoteSet"))->setText(QStringLiteral("idp"));
    dialog->findChild<QPushButton*>(QStringLiteral("remoteFetch"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(
        dialog->findChild<QLabel*>(QStringLiteral("remoteStatus"))->text().startsWith(QLatin1String("Kept 1")), 30000);
    snap(dialog, QStringLiteral("keys-remote"));
    dialog->close();
    QVERIFY(column(3).contains(QStringLiteral("idp-2026")));
    QVERIFY(column(4).contains(QStringLiteral("verify-only (remote)")));

    // A plain-http URL elsewhere is refused before any request.
    RemoteJwksDialog* refused = m_window->openRemoteDialog();
    refused->findChild<QLineEdit*>(QStringLiteral("remoteUrl"))->setText(QStringLiteral("http://issuer.example/jwks"));
    refused->findChild<QPushButton*>(QStringLiteral("remoteFetch"))->click();
    QVERIFY(refused->findChild<QLabel*>(QStringLiteral("remoteStatus"))->text().contains(QLatin1String("loopback")));
    refused->close();
}

void TestKeyManager::groupsKeysUnderTheirSets()
{
    // By now: set "api" (a rotated key and the retired one it replaced), "partner" (a public key), "idp" (remote).
    QCOMPARE(tree()->topLevelItemCount(), int(m_store->keySets().size()));
    for (const QString& keySet : m_store->keySets()) {
        QTreeWidgetItem* set = setItem(keySet);
        QVERIFY2(set, qPrintable(keySet));
        const auto inSet = std::count_if(m_store->records().begin(), m_store->records().end(),
                                         [&](const KeyRecord& r) { return r.keySet == keySet; });
        QCOMPARE(set->childCount(), int(inSet));
        QVERIFY(set->isExpanded());
        QVERIFY2(set->text(4).startsWith(QStringLiteral("%1 key").arg(inSet)), qPrintable(set->text(4)));
        const auto active = m_store->activeKey(keySet);
        QCOMPARE(set->text(3), active ? active->kid : QStringLiteral("—"));
        QVERIFY(!set->data(0, Qt::AccessibleTextRole).toString().isEmpty());
        for (int i = 0; i < set->childCount(); ++i)
            QVERIFY(set->child(i)->data(0, Qt::AccessibleTextRole).toString().contains(set->child(i)->text(3)));
    }
    QTreeWidgetItem* api = setItem(QStringLiteral("api"));
    QCOMPARE(api->childCount(), 2);
    QVERIFY2(api->text(4).startsWith(QLatin1String("2 key")), qPrintable(api->text(4)));
    // The active key first and marked, in bold; the retired one last, dimmed.
    QVERIFY(api->child(0)->text(4).startsWith(QStringLiteral("● active")));
    QVERIFY(api->child(0)->font(4).bold());
    QCOMPARE(api->child(1)->text(4), QStringLiteral("retired"));
    QCOMPARE(api->child(1)->foreground(0).color(), m_window->palette().color(QPalette::PlaceholderText));
    // A kid that is also the thumbprint is not repeated.
    QCOMPARE(api->child(0)->text(6), QStringLiteral("—"));
    QCOMPARE(tree()->textElideMode(), Qt::ElideMiddle);
    // Selecting a set offers what concerns the set.
    m_window->selectSet(QStringLiteral("api"));
    QVERIFY(m_window->selectedId().isEmpty());
    QCOMPARE(m_window->selectedSet(), QStringLiteral("api"));
    QVERIFY(m_window->findChild<QAction*>(QStringLiteral("rotateAction"))->isEnabled());
    QVERIFY(m_window->findChild<QAction*>(QStringLiteral("exportJwksAction"))->isEnabled());
    QVERIFY(!m_window->findChild<QAction*>(QStringLiteral("deleteAction"))->isEnabled());
    QVERIFY(m_window->findChild<QLabel*>(QStringLiteral("detailInfo"))->text().contains(QLatin1String("Key set api")));
    snap(m_window, QStringLiteral("keys-tree"));
}

void TestKeyManager::treeWorksFromTheKeyboard()
{
    QTreeWidgetItem* api = setItem(QStringLiteral("api"));
    tree()->setCurrentItem(api);
    QTest::keyClick(tree(), Qt::Key_Return);
    QVERIFY(!api->isExpanded());
    QTest::keyClick(tree(), Qt::Key_Enter, Qt::KeypadModifier);
    QVERIFY(api->isExpanded());
    // Arrows move into the set and back out.
    QTest::keyClick(tree(), Qt::Key_Down);
    QCOMPARE(tree()->currentItem(), api->child(0));
    QCOMPARE(m_window->selectedId(), m_store->activeKey(QStringLiteral("api"))->id);
    QTest::keyClick(tree(), Qt::Key_Left);
    QCOMPARE(tree()->currentItem(), api);
    // Enter on a key opens its public half.
    tree()->setCurrentItem(api->child(0));
    auto* tabs = m_window->findChild<QTabWidget*>();
    tabs->setCurrentIndex(2);
    QTest::keyClick(tree(), Qt::Key_Return);
    QCOMPARE(tabs->currentIndex(), 0);
    // Delete asks first: answered No, the key stays.
    const std::size_t before = m_store->records().size();
    KeyPrompts::setNextConfirm(false);
    QTest::keyClick(tree(), Qt::Key_Delete);
    QCOMPARE(m_store->records().size(), before);
    QCOMPARE(tree()->accessibleName(), QStringLiteral("Keys by key set"));
}

void TestKeyManager::deleteAsksThenRemovesFromKeychainAndList()
{
    const auto active = m_store->activeKey(QStringLiteral("api"));
    QVERIFY(active);
    m_window->selectKey(active->id);
    const std::size_t before = m_store->records().size();

    KeyPrompts::setNextConfirm(false);
    m_window->deleteSelected();
    QCOMPARE(m_store->records().size(), before);

    KeyPrompts::setNextConfirm(true);
    QTest::keyClick(tree(), Qt::Key_Delete);
    QTRY_COMPARE_WITH_TIMEOUT(m_store->records().size(), before - 1, 60000);
    QVERIFY(keystoretest::secretToolLookup(active->id).isEmpty());
    QVERIFY(!column(3).contains(active->kid));
}

void TestKeyManager::wizardMakesAnEncryptionKeyShownWithItsUse()
{
    KeyWizard* wizard = m_window->openWizard(false);
    QVERIFY(QTest::qWaitForWindowExposed(wizard));
    next(wizard);
    QCOMPARE(wizard->currentId(), int(KeyWizard::FamilyPage));
    auto* ecdh = wizard->findChild<QRadioButton*>(QStringLiteral("familyEcdh"));
    QVERIFY(!ecdh->isVisible()); // signing families until the use is encryption
    wizard->findChild<QRadioButton*>(QStringLiteral("useEncryption"))->click();
    QVERIFY(ecdh->isVisible());
    QVERIFY(!wizard->findChild<QRadioButton*>(QStringLiteral("familyEc"))->isVisible());
    ecdh->click();
    snap(wizard, QStringLiteral("keys-wizard-2-family-encryption"));
    next(wizard);
    QCOMPARE(wizard->currentId(), int(KeyWizard::ParametersPage));
    // The algs come from the JWE table: ECDH-ES and its key-wrap variants.
    auto* algs = wizard->findChild<QComboBox*>(QStringLiteral("encAlg"));
    QCOMPARE(algs->count(), 4);
    QCOMPARE(algs->itemData(0).toString(), QStringLiteral("ECDH-ES"));
    algs->setCurrentIndex(algs->findData(QStringLiteral("ECDH-ES+A256KW")));
    auto* curve = wizard->findChild<QComboBox*>(QStringLiteral("encCurve"));
    QVERIFY(curve->isVisible());
    QVERIFY(!wizard->findChild<QComboBox*>(QStringLiteral("encEnc"))->isVisible());
    curve->setCurrentIndex(curve->findData(QStringLiteral("X25519")));
    QCOMPARE(wizard->chosenAlg(), QStringLiteral("ECDH-ES+A256KW"));
    snap(wizard, QStringLiteral("keys-wizard-3-parameters-encryption"));
    next(wizard);
    QTRY_VERIFY(
        wizard->findChild<QLabel*>(QStringLiteral("generationStatus"))->text().startsWith(QLatin1String("Generated")));
    QCOMPARE(wizard->generatedKey().curve(), QStringLiteral("X25519"));
    next(wizard);
    QCOMPARE(wizard->currentId(), int(KeyWizard::NamePage));
    QCOMPARE(wizard->findChild<QLineEdit*>(QStringLiteral("keySet"))->text(), QStringLiteral("encryption"));
    QCOMPARE(wizard->findChild<QLineEdit*>(QStringLiteral("keyKid"))->text(), thumbprint(wizard->generatedKey()));
    wizard->findChild<QLineEdit*>(QStringLiteral("keyName"))->setText(QStringLiteral("inbox key"));
    wizard->findChild<QLineEdit*>(QStringLiteral("keySet"))->setText(QStringLiteral("inbox"));
    next(wizard);
    QTRY_VERIFY_WITH_TIMEOUT(
        wizard->findChild<QLabel*>(QStringLiteral("storeStatus"))->text().startsWith(QLatin1String("Stored")), 60000);
    next(wizard);
    QVERIFY2(
        wizard->findChild<QLabel*>(QStringLiteral("summaryText"))->text().contains(QLatin1String("Use: encryption")),
        qPrintable(wizard->findChild<QLabel*>(QStringLiteral("summaryText"))->text()));
    wizard->button(QWizard::FinishButton)->click();

    const auto active = m_store->activeKey(QStringLiteral("inbox"));
    QVERIFY(active);
    QCOMPARE(active->use, KeyUse::Encryption);
    QCOMPARE(active->alg, QStringLiteral("ECDH-ES+A256KW"));
    QTreeWidgetItem* inbox = setItem(QStringLiteral("inbox"));
    QVERIFY(inbox);
    QCOMPARE(inbox->text(1), QStringLiteral("encryption"));
    QCOMPARE(inbox->child(0)->text(1), QStringLiteral("encryption"));
    QCOMPARE(inbox->child(0)->text(2), QStringLiteral("ECDH-ES+A256KW"));
    QVERIFY(inbox->child(0)->text(4).startsWith(QStringLiteral("● active (encrypted to)")));
    m_window->selectKey(active->id);
    QVERIFY(m_window->findChild<QPlainTextEdit*>(QStringLiteral("detailJwk"))
                ->toPlainText()
                .contains(QLatin1String("\"use\": \"enc\"")));
    snap(m_window, QStringLiteral("keys-tree-encryption"));
}

void TestKeyManager::checkListsOrphanedSecretsAndRepairAdoptsOrRemovesThem()
{
    auto* findings = m_window->findChild<QListWidget*>(QStringLiteral("checkFindings"));
    auto* adopt = m_window->findChild<QPushButton*>(QStringLiteral("repairAdoptButton"));
    auto* remove = m_window->findChild<QPushButton*>(QStringLiteral("repairRemoveButton"));
    QVERIFY(findings && adopt && remove);
    QSignalSpy finished(m_window, &KeyManagerWindow::checkFinished);
    m_window->checkConsistency();
    QVERIFY(finished.wait(60000));
    QCOMPARE(findings->count(), 0);
    QVERIFY(!adopt->isEnabled());

    // Two secrets no index entry names, as a crash between keychain and index would leave them.
    const Key orphan = keystoretest::generate(QStringLiteral("ES384"));
    KeychainClient client;
    QVERIFY(keystoretest::await<void>([&](QObject* c, auto done) {
                client.write(QStringLiteral("key/gui-orphan"), *exportPrivateDer(orphan), c, done);
            }).ok());
    m_window->checkConsistency();
    QVERIFY(finished.wait(60000));
    QCOMPARE(findings->count(), 1);
    QVERIFY(findings->item(0)->text().contains(QLatin1String("key/gui-orphan has no index entry")));
    QVERIFY(adopt->isEnabled() && remove->isEnabled());

    m_window->setRepairGraceSeconds(0);
    QTest::mouseClick(adopt, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 3 && findings->count() == 0, 60000);
    const auto adopted = m_store->record(QStringLiteral("gui-orphan"));
    QVERIFY(adopted);
    QCOMPARE(adopted->thumbprint, thumbprint(orphan));
    QCOMPARE(adopted->keySet, QStringLiteral("recovered"));

    const SecretBytes junk(QByteArrayView("not a key, and too short"));
    QVERIFY(keystoretest::await<void>([&](QObject* c, auto done) {
                client.write(QStringLiteral("key/gui-orphan-2"), junk, c, done);
            }).ok());
    m_window->checkConsistency();
    QTRY_COMPARE_WITH_TIMEOUT(findings->count(), 1, 60000);
    const int before = finished.count();
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= before + 1 && findings->count() == 0 && adopt->isEnabled() == false,
                             60000);
    QVERIFY(keystoretest::secretToolLookup(QStringLiteral("gui-orphan-2")).isEmpty());
    QVERIFY(!m_store->record(QStringLiteral("gui-orphan-2")));
}

QTEST_MAIN(TestKeyManager)
#include "TestKeyManager.moc"
