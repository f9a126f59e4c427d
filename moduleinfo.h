/* moduleinfo.h: the version of the fcgi plugin. */
#ifndef FCGI_MODULEINFO_H
#define FCGI_MODULEINFO_H

#define PLUGIN_VERSION "0.2.0"

#endif
