print("phidesk")
