"""Azure's extra step: deploy the tuned model before chatting with it, knowing what it costs.

A model tuned on Azure OpenAI answers only once deployed, and a deployment is billed by the
hour while it exists. The box states those rules next to the button, deploys through the
management plane (in a worker), shows the deployment's state until Azure reports it ready,
and then adds its name to the profile so the chat tab can use it.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.errors import UserError
from tunedeck.core.fine_tune.azure_deploy import deployment_name, management_token
from tunedeck.core.remote import AzureProfile, Deployment
from tunedeck.core.remote import rules as provider_rules
from tunedeck.ui.connections import Connections
from tunedeck.ui.launch.tasks import Tasks

_KINDS = {
    "standard": "Standard — billed per hour while it exists",
    "developertier": "Developer test — no hourly fee, removed after 24 hours",
    "globalstandard": "Global standard — billed per hour while it exists",
}
_RULES = ("azure-deploy-to-chat", "azure-hosting-fee", "azure-developer-24h", "azure-idle-15-days")


class DeployBox(QWidget):
    """Deploy one succeeded Azure job's model.

    Signals:
        deployed(str, str): (profile id, deployment name) once Azure reports it ready.
        informed(str) / failed(str): For the window's message bar.
    """

    deployed = Signal(str, str)
    informed = Signal(str)
    failed = Signal(str)

    poll_seconds = 5.0  # Azure takes minutes; the sandbox, the length of one of its jobs

    def __init__(self, connections: Connections, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._connections = connections
        self._tasks = Tasks(self)
        self._profile: AzureProfile | None = None
        self._model = ""
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setToolTip("The name chat requests use for this model")
        self.kind = QComboBox()
        for sku, text in _KINDS.items():
            self.kind.addItem(text, sku)
        self.button = QPushButton("Deploy")
        self.button.clicked.connect(self.deploy)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Deployment name", self.name)
        form.addRow("Kind", self.kind)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        form.addRow("", row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rules)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def show_job(self, profile: AzureProfile, model: str, suffix: str | None) -> None:
        """Offer to deploy `model` (a succeeded job's) on `profile`."""
        if (self._profile, self._model) == (profile, model):
            return
        self._profile, self._model = profile, model
        self.rules.setText(_rules_text(profile))
        self.name.setText(deployment_name(model, suffix))
        deployed = self.name.text() in profile.deployments
        self.button.setEnabled(profile.can_deploy and not self._tasks.busy)
        if not profile.can_deploy:
            self._say(
                "To deploy from here, open Manage… beside the provider and fill in the "
                "profile's subscription id, resource group and resource name. Or deploy by "
                "hand: in Azure AI Foundry, open Fine-tuning, choose the model and press "
                "Deploy; then add the deployment's name to the profile.",
                error=False,
            )
        elif deployed:
            self._say(f"Deployed as “{self.name.text()}”: chat with it under that name.")
        else:
            self._say("Not deployed yet.")

    def deploy(self) -> None:
        """Create the deployment and follow it until it is ready (worker)."""
        from tunedeck.core.remote.deployments import AzureDeployments

        profile, model = self._profile, self._model
        name, sku = self.name.text().strip(), str(self.kind.currentData())
        if profile is None or not name:
            return
        try:
            deployments = AzureDeployments(
                profile, management_token(profile, self._connections.keys)
            )
        except UserError as error:
            self._say(str(error), error=True)
            self.failed.emit(str(error))
            return
        poll = self.poll_seconds

        def job(post, cancel) -> Deployment:
            deployment = deployments.create(name, model, sku=sku)
            post(deployment)
            while not deployment.ready:
                if deployment.state in ("Failed", "Canceled"):
                    raise UserError(
                        f"Azure could not deploy {model} as “{name}” (it says "
                        f"{deployment.state}). Check the model and your quota in the Azure portal."
                    )
                if cancel.wait(poll):
                    return deployment
                found = deployments.get(name)
                if found is None:
                    raise UserError(f"The deployment “{name}” disappeared while being created.")
                deployment = found
                post(deployment)
            return deployment

        self.button.setEnabled(False)
        self._say(f"Asking Azure to deploy {model} as “{name}”…")
        self._tasks.run(job, finished=self._on_ready, failed=self._on_failed, posted=self._on_state)

    def close_tasks(self) -> None:
        self._tasks.close()

    def wait(self) -> None:
        self._tasks.wait()

    def _on_state(self, deployment: Deployment) -> None:
        if not deployment.ready:
            self._say(
                f"Deploying as “{deployment.name}”: {deployment.state or 'starting'}. Azure "
                "usually takes a few minutes; you can keep working."
            )

    def _on_ready(self, deployment: Deployment) -> None:
        profile = self._profile
        if not deployment.ready or profile is None:
            return
        if deployment.name not in profile.deployments:
            updated = dataclasses.replace(
                profile, deployments=(*profile.deployments, deployment.name)
            )
            try:
                self._connections.save(updated)
            except UserError as error:
                self.failed.emit(str(error))
            self._profile = updated
        self._say(
            f"Ready: chat with it as “{deployment.name}”. It is billed while it exists; delete "
            "it in the Azure portal when you are done."
        )
        self.button.setEnabled(True)
        self.deployed.emit(profile.id, deployment.name)
        self.informed.emit(f"The tuned model is deployed as “{deployment.name}”.")

    def _on_failed(self, message: str) -> None:
        self._say(message, error=True)
        self.button.setEnabled(True)
        self.failed.emit(message)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color:#b3261e;" if error else "")


def _rules_text(profile: AzureProfile) -> str:
    chosen = [rule for rule in provider_rules.rules_for(profile) if rule.code in _RULES]
    items = "".join(f"<li><b>{rule.title}.</b> {rule.detail}</li>" for rule in chosen)
    return f"<ul style='margin-left:-20px'>{items}</ul>"
