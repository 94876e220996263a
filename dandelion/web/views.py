from django.shortcuts import render


def station_map(request):
    return render(request, "web/map.html")
