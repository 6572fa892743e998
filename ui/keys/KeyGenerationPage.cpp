#include "keys/KeyGenerationPage.h"

#include "core/crypto/KeyPolicy.h"
#include "keys/KeyWizardFields.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace jwti {

KeyGenerationPage::KeyGenerationPage(QWidget* parent)
    : QWizardPage(parent)
    , m_explanation(new QLabel(this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("Cancel generation"), this))
    , m_again(new QPushButton(tr("Generate again"), this))
{
    setTitle(tr("Generating the key"));
    m_explanation->setObjectName(QStringLiteral("generationExplanation"));
    m_explanation->setWordWrap(true);
    m_explanation->setText(tr("Keys come from the operating system's random generator through OpenSSL. An RSA key "
                              "needs two large random primes, which can take seconds at 4096 bits, so it is made on "
                              "a separate thread and can be cancelled; EC, Ed25519 and HMAC keys take milliseconds."));
    m_status->setObjectName(QStringLiteral("generationStatus"));
    m_status->setWordWrap(true);
    m_progress->setObjectName(QStringLiteral("generationProgress"));
    m_progress->setRange(0, 0); // busy: prime search gives no honest percentage
    m_cancel->setObjectName(QStringLiteral("cancelGeneration"));
    m_again->setObjectName(QStringLiteral("generateAgain"));
    registerField(QLatin1String(KeyWizardFields::kGeneratedKey), this, "generatedKey",
                  SIGNAL(generationFinished(bool)));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_again);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_explanation);
    layout->addSpacing(12);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    layout->addStretch();
    connect(m_cancel, &QPushButton::clicked, this, &KeyGenerationPage::cancel);
    connect(m_again, &QPushButton::clicked, this, &KeyGenerationPage::start);
}

// The task tells a running worker to stop (it polls its flag between primes); nothing waits here.
KeyGenerationPage::~KeyGenerationPage() = default;

void KeyGenerationPage::initializePage()
{
    start();
}

void KeyGenerationPage::cleanupPage()
{
    cancel();
}

bool KeyGenerationPage::isComplete() const
{
    return m_done;
}

bool KeyGenerationPage::isGenerating() const
{
    return m_running;
}

void KeyGenerationPage::start()
{
    if (!wizard() || m_running)
        return;
    m_done = false;
    m_key = Key();
    emit completeChanged();
    const KeyRequest request = field(QLatin1String(KeyWizardFields::kKeyRequest)).value<KeyRequest>();
    const auto spec = keySpecForRequest(request);
    if (!spec) {
        m_status->setText(tr("Cannot generate: %1").arg(spec.message()));
        m_progress->hide();
        m_cancel->hide();
        m_again->hide();
        return;
    }
    m_status->setText(tr("Generating the key for %1…").arg(request.alg));
    m_progress->show();
    m_cancel->show();
    m_cancel->setEnabled(true);
    m_again->hide();
    m_clock.start();
    m_running = true;
    // A later start() supersedes this job: its key, if it still comes, is dropped.
    m_generation.start(
        [request](const std::atomic_bool& cancelled) { return generateKeyForRequest(request, &cancelled); },
        [this](Result<Key> result) { onFinished(std::move(result)); });
}

void KeyGenerationPage::cancel()
{
    if (!m_running)
        return;
    // The worker stops at its next check and its key, if any, is dropped unseen: nothing was generated for the user.
    m_generation.cancel();
    m_running = false;
    m_progress->hide();
    m_cancel->hide();
    m_status->setText(tr("Cancelled. Nothing was generated or stored."));
    m_again->show();
    emit generationFinished(false);
}

void KeyGenerationPage::onFinished(Result<Key> result)
{
    m_lastDurationMs = m_clock.elapsed();
    m_running = false;
    m_progress->hide();
    m_cancel->hide();
    if (!result) {
        m_status->setText(tr("Generation failed: %1").arg(result.message()));
        m_again->show();
        emit generationFinished(false);
        return;
    }
    m_key = std::move(result).value();
    m_status->setText(
        tr("Generated: %1, in %2 ms.")
            .arg(describeKeyFor(m_key, field(QLatin1String(KeyWizardFields::kKeyRequest)).value<KeyRequest>().alg))
            .arg(m_lastDurationMs));
    m_again->show();
    m_done = true;
    emit completeChanged();
    emit generationFinished(true);
}

} // namespace jwti
