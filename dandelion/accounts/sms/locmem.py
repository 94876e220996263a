class SmsBackend:
    """Keeps messages in `dandelion.accounts.sms.outbox` for tests to read."""

    def send_messages(self, messages) -> int:
        from dandelion.accounts import sms

        sms.outbox.extend(messages)
        return len(messages)
