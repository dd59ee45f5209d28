VALUE = "deppkg-ok"
