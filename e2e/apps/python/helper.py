def greet():
    return "helper-ok"
