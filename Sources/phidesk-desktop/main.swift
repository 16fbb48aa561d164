print("phidesk-desktop")
