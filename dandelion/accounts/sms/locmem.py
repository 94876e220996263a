from dandelion.accounts import sms


class SmsBackend:
    """Keeps messages in `dandelion.accounts.sms.outbox` for tests to read."""

    def send_messages(self, messages) -> int:
        sms.outbox.extend(messages)
        return len(messages)
