"""ID-card readers (二代证阅读器): what a card holds and the drivers that read it, no Qt.

:class:`~app.idcard.model.CardData` is one card as read; :class:`~app.idcard.reader.IdCardReader` the interface every
driver offers (``open``, ``poll``, ``close``); the drivers are the vendor SDK (:mod:`app.idcard.sdk`, in this process
or through the native bridge :mod:`app.idcard.bridge` when the library's bitness differs), the keyboard wedge
(:mod:`app.idcard.wedge`) and the simulator for demos and tests (:mod:`app.idcard.simulator`, refused outside demo
mode).  :func:`app.idcard.factory.open_reader` picks one from the deployment file (docs/devices.md).
"""
