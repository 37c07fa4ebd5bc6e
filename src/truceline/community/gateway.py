"""A simulated SMS gateway: phones that send texts to the webhook and read their replies.

Real gateways (an SMS modem daemon, a telecom's HTTP API) post each received
message to ``/api/community/sms/inbound`` and send back the reply; they fetch
feedback notices with ``/api/community/sms/outbox/claim``. ``SimulatedGateway``
does the same over any ``httpx.Client`` (the FastAPI ``TestClient`` in tests,
or a client pointed at a running server), so the channel is exercised end to
end, HTTP included, without a telephone network.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from truceline.community.phones import normalise_phone

INBOUND = "/api/community/sms/inbound"
OUTBOX = "/api/community/sms/outbox/claim"


@dataclass
class SimulatedGateway:
    client: httpx.Client
    token: str
    name: str = "simulated"
    inboxes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def send(
        self,
        phone: str,
        text: str,
        *,
        message_id: str | None = None,
        received_at: datetime | None = None,
    ) -> dict[str, Any]:
        """Deliver one text from ``phone``; the reply lands in that phone's inbox."""
        body: dict[str, Any] = {"from": phone, "text": text, "gateway": self.name,
                                "id": message_id or f"{self.name}-{next(self._ids)}"}  # fmt: skip
        if received_at is not None:
            body["received_at"] = received_at.isoformat()
        response = self.client.post(INBOUND, json=body, headers=self._headers)
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        if answer.get("reply"):
            self.inboxes[normalise_phone(phone)].append(answer["reply"])
        return answer

    def deliver_outbox(self) -> int:
        """Fetch pending notices and put each in its recipient's inbox."""
        response = self.client.post(OUTBOX, headers=self._headers)
        response.raise_for_status()
        deliveries = response.json()
        for delivery in deliveries:
            self.inboxes[delivery["to"]].append(delivery["body"])
        return len(deliveries)

    def inbox(self, phone: str) -> list[str]:
        return self.inboxes[normalise_phone(phone)]
