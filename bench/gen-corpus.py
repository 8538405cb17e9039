#!/usr/bin/env python3
"""Deterministic generator of a synthetic ayni site (and optionally its Hugo twin).

Usage:
    python3 bench/gen-corpus.py --products N --out DIR [--hugo DIR] [--zola DIR] [--seed S] [--words W] [--jobs J]

Python 3.11 standard library only. The same arguments give byte-identical output: every
product body is generated from its own random.Random seeded with the string "<seed>/<slug>"
(string seeds are hashed with SHA-512, independent of PYTHONHASHSEED), the site-level structure
from one random.Random(seed), and files are written in a fixed order. --jobs only changes how
many processes write product files, never their content.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import time
import unicodedata
from bisect import bisect
from itertools import accumulate

# ---------------------------------------------------------------------------
# Spanish vocabulary (real words; order within each list = frequency rank of the
# first ~30 items, the rest is shuffled with a fixed seed so themes are spread).
# Nouns ending in "*" are mass nouns (kept singular).
# ---------------------------------------------------------------------------

NOUNS_M = """
desarrollo* programa proyecto gobierno presupuesto enfoque proceso territorio estudio sector
resultado impacto actor espacio mecanismo instrumento sistema servicio recurso conocimiento*
aprendizaje fortalecimiento* financiamiento* seguimiento* diagnóstico plan marco modelo caso informe
documento año periodo nivel ámbito tema problema reto desafío cambio avance logro producto productor
mercado precio ingreso empleo trabajo cultivo riego* suelo bosque río valle pueblo caserío hogar niño
adolescente joven adulto dirigente líder alcalde regidor funcionario técnico especialista promotor
facilitador extensionista investigador consultor donante cooperante socio aliado miembro participante
beneficiario usuario ciudadano vecino campesino agricultor ganadero pescador artesano comerciante
proveedor comprador consumidor emprendimiento negocio crédito ahorro préstamo fondo capital activo costo
gasto rendimiento volumen mejoramiento* manejo* uso acceso derecho deber control registro padrón censo
dato hallazgo aporte vínculo nexo puente eje componente módulo taller curso evento foro encuentro
seminario congreso intercambio convenio contrato decreto reglamento dispositivo lineamiento criterio
requisito procedimiento trámite expediente perfil tributo canon* impuesto fideicomiso concurso premio
incentivo bono subsidio pago equipo personal* liderazgo* consenso conflicto riesgo peligro desastre
fenómeno clima* ecosistema paisaje patrimonio* turismo* alimento nutriente micronutriente hierro*
suplemento peso* crecimiento* parto embarazo cuidado lactante nacimiento establecimiento hospital colegio
docente maestro estudiante alumno currículo acompañamiento* asesoramiento* soporte* apoyo* respaldo*
esfuerzo recorrido camino horizonte escenario contexto entorno saneamiento* alcantarillado* desagüe
residuo reciclaje* transporte* mantenimiento* tramo corredor consorcio colectivo gremio sindicato comité
consejo directorio mandato voto partido candidato elector cargo puesto nombramiento sueldo salario jornal
canal margen valor excedente almacén acopio* secado* envase empaque etiquetado* sello certificado
estándar protocolo ensayo experimento piloto prototipo método paso cuestionario muestreo* grupo testimonio
relato archivo repositorio catálogo portal sitio boletín artículo libro capítulo manual folleto afiche
vídeo mensaje medio periodista público debate discurso argumento sustento fundamento supuesto principio
pacto tejido empoderamiento* bienestar* ejercicio cumplimiento* incumplimiento* ordenamiento* catastro
título terreno predio lote hato rebaño ganado* pasto forraje maíz frijol trigo* arroz* café* cacao*
olluco tarwi plátano banano algodón fruto frutal huerto biohuerto invernadero vivero plantón árbol insumo
fertilizante abono plaguicida reservorio pozo manantial acuífero caudal páramo humedal glaciar nevado
diseño ajuste rediseño balance saldo retroceso estancamiento deterioro rezago atraso progreso éxito
fracaso obstáculo vacío límite alcance efecto beneficio perjuicio daño aumento incremento descenso
índice porcentaje promedio total número monto rubro concepto término plazo hito calendario cronograma
mes semestre trimestre quinquenio decenio inicio fin cierre lanzamiento Estado municipio distrito
departamento país ministerio acuerdo compromiso diálogo informe sector gobierno ayllu anexo barrio
asentamiento cuy vacuno ovino camélido pastoreo* ordeño* queso yogur* tubérculo grano cereal
mercado mayorista minorista intermediario acopiador exportador importador empresario emprendedor
microempresario trabajador obrero jornalero migrante retorno flujo circuito destino origen paradero
albergue comedor vaso refrigerio desayuno almuerzo menú plato suplemento sulfato* multimicronutriente
tamizaje* dosaje descarte hemograma perímetro puerperio neonato
lactario jardín nido cuidador tutor voluntario brigadista vigía serenazgo* patrullaje* delito robo
homicidio feminicidio abuso maltrato acoso* analfabetismo*
abandono ausentismo* desempeño* logro aprendizaje puntaje examen ranking premio reconocimiento estímulo
mérito microcrédito seguro siniestro reclamo arbitraje* litigio juicio fallo
dictamen informe técnico expediente sustento asesor abogado contador auditor fiscalizador inspector
supervisor monitor evaluador sistematizador relator moderador ponente expositor invitado anfitrión
organizador convocante auspiciador patrocinador financiador ejecutor operador contratista proveedor
padrino mentor referente vocero portavoz representante delegado apoderado titular suplente
""".split()

NOUNS_F = """
política gestión comunidad participación incidencia alianza red organización institución entidad
municipalidad región provincia zona población familia mujer niña madre gestante salud* nutrición*
desnutrición* anemia* alimentación* seguridad* pobreza* desigualdad exclusión inclusión* equidad*
igualdad* educación* escuela universidad capacitación formación* asistencia* cooperación* agricultura*
ganadería* pesca* producción productividad* competitividad* cadena innovación tecnología investigación
evaluación sistematización experiencia práctica lección propuesta estrategia acción actividad medida
norma ley ordenanza resolución directiva disposición iniciativa intervención inversión asignación
transferencia ejecución planificación implementación articulación coordinación concertación negociación
mesa reunión asamblea sesión consulta audiencia vigilancia* transparencia* corrupción* descentralización*
regionalización* autonomía competencia función responsabilidad capacidad habilidad destreza herramienta
metodología guía cartilla publicación revista base fuente encuesta entrevista muestra línea meta cifra
tasa brecha tendencia variación reducción disminución mejora calidad* cobertura oferta demanda venta
compra exportación importación empresa asociación cooperativa federación confederación agencia fundación
plataforma coalición instancia oficina dirección gerencia jefatura subgerencia secretaría coordinadora
autoridad presidencia alcaldía jurisdicción administración burocracia* ciudadanía* sociedad economía
renta tierra parcela chacra cosecha siembra campaña semilla helada sequía inundación lluvia erosión*
deforestación* biodiversidad* conservación* sostenibilidad* adaptación mitigación* resiliencia*
vulnerabilidad emergencia prevención* atención* vivienda infraestructura obra carretera trocha vía pista
electrificación* conectividad* energía telefonía* señal frontera cuenca microcuenca laguna represa
minería* industria identidad cultura lengua tradición costumbre fiesta feria costa sierra selva ciudad
periferia localidad mirada perspectiva visión misión idea noción definición categoría dimensión variable
hipótesis conclusión recomendación reflexión discusión pregunta respuesta solución alternativa opción
oportunidad amenaza debilidad fortaleza limitación dificultad restricción barrera condición
característica particularidad diferencia similitud relación interacción confianza* legitimidad* voluntad
representación voz decisión elección votación agenda prioridad preocupación reivindicación protesta
movilización huelga crisis etapa fase ruta trayectoria historia memoria narrativa evidencia*
información* comunicación difusión* divulgación* aplicación matriz ficha tabla figura cartografía*
lactancia* vacunación inmunización suplementación* consejería visita demostración cocina dieta ración
porción comida canasta despensa leche* carne proteína vitamina hortaliza verdura fruta legumbre menestra
papa quinua kiwicha cebada* avena* cañihua palta naranja uva fibra alpaca llama vicuña oveja vaca cabra
gallina trucha piscicultura* apicultura* miel* artesanía cerámica* niñez* infancia* adolescencia*
juventud* vejez* discapacidad persona gente* mayoría minoría hija pareja violencia* denuncia víctima
justicia* defensoría fiscalía policía* pensión jubilación protección* afiliación partida documentación*
cédula asesoría tutoría pasantía beca licencia concesión servidumbre titulación formalización
certificación acreditación habilitación inscripción matrícula deserción* repitencia* escolaridad*
asistencia docencia enseñanza lectura escritura matemática ciencia técnica ingeniería agronomía
veterinaria enfermería obstetricia medicina farmacia posta clínica ambulancia camilla balanza vacuna
dosis jornada brigada campaña caravana marcha ronda vigilia faena directiva
junta comisión subcomisión secretaría tesorería fiscalía presidencia vocalía gestora facilitadora
promotora lideresa regidora alcaldesa funcionaria técnica especialista consultora investigadora docente
""".split()

# Irregular plurals and nouns that take "el"/"un" in the feminine singular.
PLURAL_OVERRIDES = {
    "joven": "jóvenes", "margen": "márgenes", "volumen": "volúmenes", "examen": "exámenes",
    "origen": "orígenes", "dictamen": "dictámenes", "régimen": "regímenes", "país": "países",
    "mes": "meses", "interés": "intereses", "maíz": "maíces", "análisis": "análisis",
    "crisis": "crisis", "hipótesis": "hipótesis", "carácter": "caracteres", "ranking": "rankings",
    "menú": "menús", "estándar": "estándares", "yogur": "yogures", "Estado": "Estados",
    "certamen": "certámenes", "resumen": "resúmenes", "imagen": "imágenes", "clúster": "clústeres",
}
FEM_EL = {"área", "agua", "hambre", "aula", "habla", "alma"}

ADJECTIVES = """
público social local regional nacional rural urbano económico político productivo agrícola agropecuario
agrario alimentario nutricional sanitario educativo cultural ambiental territorial institucional
municipal comunal comunitario familiar infantil materno juvenil indígena campesino nativo andino
amazónico altoandino costero fronterizo fiscal financiero presupuestal presupuestario tributario
administrativo técnico operativo estratégico participativo democrático descentralizado centralizado
integral integrado intersectorial multisectorial sostenible inclusivo equitativo vulnerable pobre
extremo crónico agudo severo moderado leve grave importante principal central fundamental esencial
necesario suficiente insuficiente adecuado inadecuado pertinente relevante eficaz eficiente efectivo
oportuno concreto específico general común propio nuevo antiguo actual reciente anterior posterior
mayor menor mejor peor alto bajo amplio reducido limitado escaso abundante creciente decreciente
progresivo gradual permanente temporal transitorio continuo sostenido constante periódico anual
mensual semestral trimestral formal informal legal normativo jurídico constitucional legislativo
ejecutivo judicial electoral ciudadano vecinal colectivo individual personal privado empresarial
comercial industrial artesanal tradicional moderno innovador tecnológico científico académico
metodológico conceptual teórico práctico empírico cualitativo cuantitativo estadístico comparativo
descriptivo exploratorio analítico crítico reflexivo colaborativo cooperativo solidario horizontal
vertical transversal diferenciado focalizado universal selectivo prioritario urgente pendiente exitoso
positivo negativo favorable desfavorable significativo considerable notable modesto marginal débil
fuerte sólido frágil complejo simple sencillo claro difícil fácil posible viable factible costoso
rentable competitivo orgánico ecológico natural hídrico forestal pecuario ganadero lechero pesquero
acuícola minero energético eléctrico vial hospitalario preventivo promocional asistencial humanitario
internacional multilateral bilateral extranjero peruano boliviano ecuatoriano colombiano
latinoamericano departamental provincial distrital sectorial subnacional intergubernamental
interinstitucional estatal gubernamental ministerial parlamentario articulado coordinado concertado
compartido conjunto mixto diverso heterogéneo homogéneo puntual aislado disperso concentrado remoto
alejado accesible seco húmedo tropical frío cálido templado estacional climático geográfico
demográfico laboral reproductivo doméstico cotidiano diario semanal básico elemental primario
secundario superior inicial final intermedio parcial completo incompleto mínimo máximo óptimo
deficiente regular irregular disponible responsable capaz autónomo independiente dependiente legítimo
transparente cerrado justo injusto digno seguro inseguro saludable nutritivo fortificado enriquecido
rico externo interno emprendedor conservador ambicioso cauteloso riguroso exhaustivo breve extenso
detallado preliminar definitivo provisional oficial extraoficial público-privado multiactor?
urgente decisivo determinante crucial estructural coyuntural histórico tardío temprano precoz
obligatorio voluntario gratuito accesible asequible digital virtual presencial radial escrito oral
bilingüe intercultural monolingüe quechuahablante aimara femenino masculino mayoritario minoritario
""".split()

INVARIANT_ADJ = {"mayor", "menor", "mejor", "peor", "superior", "inferior", "anterior", "posterior",
                 "exterior", "interior", "regular", "irregular", "familiar", "popular", "escolar",
                 "particular", "similar", "titular", "nuclear", "lineal", "bilingüe", "aimara"}

VERBS = """
fortalecer promover impulsar articular coordinar implementar ejecutar diseñar elaborar formular
aprobar financiar priorizar gestionar planificar evaluar sistematizar documentar analizar identificar
reconocer mejorar ampliar reducir incrementar garantizar asegurar facilitar apoyar acompañar orientar
asesorar capacitar formar sensibilizar movilizar organizar integrar incorporar institucionalizar
consolidar generar producir desarrollar construir establecer crear definir proponer plantear sustentar
respaldar demostrar mostrar evidenciar revelar confirmar señalar indicar destacar subrayar advertir
recomendar sugerir exigir requerir necesitar buscar lograr alcanzar obtener conseguir cumplir superar
enfrentar abordar atender resolver prevenir proteger defender conservar recuperar restaurar manejar
administrar asignar transferir invertir destinar canalizar aportar contribuir compartir intercambiar
difundir comunicar informar publicar divulgar discutir debatir negociar concertar acordar firmar
suscribir adoptar aplicar utilizar emplear usar adaptar ajustar modificar reformar cambiar transformar
replicar escalar extender expandir multiplicar sostener mantener continuar iniciar comenzar liderar
conducir dirigir encabezar convocar reunir involucrar comprometer vincular conectar acercar relacionar
combinar complementar potenciar dinamizar estimular incentivar motivar favorecer beneficiar afectar
limitar dificultar obstaculizar impedir frenar retrasar condicionar determinar explicar describir
presentar exponer recoger ordenar clasificar medir estimar calcular cuantificar verificar comprobar
validar monitorear supervisar vigilar fiscalizar controlar regular normar reglamentar promulgar
ratificar incluir excluir considerar contemplar prever abarcar cubrir servir alimentar cultivar sembrar
cosechar procesar comercializar vender comprar exportar abastecer proveer distribuir transportar
almacenar certificar registrar inscribir formalizar titular asociar agrupar representar elegir designar
nombrar contratar pagar cofinanciar programar gastar recaudar rendir escuchar consultar aprender
enseñar educar entrenar visitar recorrer empoderar valorar revalorar rescatar visibilizar respetar
cuestionar criticar rechazar aceptar asumir ocupar reemplazar sustituir reorientar redefinir replantear
repensar actualizar renovar evaluar continuar actuar situar efectuar enviar variar guiar confiar
difundir orientar acreditar habilitar focalizar georreferenciar mapear caracterizar tipificar
diagnosticar tamizar suplementar fortificar vacunar atender derivar referir notificar reportar
consolidar sistematizar recopilar procesar triangular contrastar comparar ponderar jerarquizar
""".split()

# (present 3sg, present 3pl, preterite 3sg, preterite 3pl, participle)
VERB_OVERRIDES = {
    "producir": ("produce", "producen", "produjo", "produjeron", "producido"),
    "conducir": ("conduce", "conducen", "condujo", "condujeron", "conducido"),
    "reducir": ("reduce", "reducen", "redujo", "redujeron", "reducido"),
    "introducir": ("introduce", "introducen", "introdujo", "introdujeron", "introducido"),
    "proponer": ("propone", "proponen", "propuso", "propusieron", "propuesto"),
    "exponer": ("expone", "exponen", "expuso", "expusieron", "expuesto"),
    "obtener": ("obtiene", "obtienen", "obtuvo", "obtuvieron", "obtenido"),
    "mantener": ("mantiene", "mantienen", "mantuvo", "mantuvieron", "mantenido"),
    "sostener": ("sostiene", "sostienen", "sostuvo", "sostuvieron", "sostenido"),
    "prevenir": ("previene", "previenen", "previno", "previnieron", "prevenido"),
    "prever": ("prevé", "prevén", "previó", "previeron", "previsto"),
    "resolver": ("resuelve", "resuelven", "resolvió", "resolvieron", "resuelto"),
    "describir": ("describe", "describen", "describió", "describieron", "descrito"),
    "inscribir": ("inscribe", "inscriben", "inscribió", "inscribieron", "inscrito"),
    "suscribir": ("suscribe", "suscriben", "suscribió", "suscribieron", "suscrito"),
    "cubrir": ("cubre", "cubren", "cubrió", "cubrieron", "cubierto"),
    "proveer": ("provee", "proveen", "proveyó", "proveyeron", "provisto"),
    "reunir": ("reúne", "reúnen", "reunió", "reunieron", "reunido"),
    "ampliar": ("amplía", "amplían", "amplió", "ampliaron", "ampliado"),
    "evaluar": ("evalúa", "evalúan", "evaluó", "evaluaron", "evaluado"),
    "continuar": ("continúa", "continúan", "continuó", "continuaron", "continuado"),
    "actuar": ("actúa", "actúan", "actuó", "actuaron", "actuado"),
    "situar": ("sitúa", "sitúan", "situó", "situaron", "situado"),
    "efectuar": ("efectúa", "efectúan", "efectuó", "efectuaron", "efectuado"),
    "enviar": ("envía", "envían", "envió", "enviaron", "enviado"),
    "variar": ("varía", "varían", "varió", "variaron", "variado"),
    "guiar": ("guía", "guían", "guio", "guiaron", "guiado"),
    "confiar": ("confía", "confían", "confió", "confiaron", "confiado"),
    "advertir": ("advierte", "advierten", "advirtió", "advirtieron", "advertido"),
    "sugerir": ("sugiere", "sugieren", "sugirió", "sugirieron", "sugerido"),
    "requerir": ("requiere", "requieren", "requirió", "requirieron", "requerido"),
    "transferir": ("transfiere", "transfieren", "transfirió", "transfirieron", "transferido"),
    "invertir": ("invierte", "invierten", "invirtió", "invirtieron", "invertido"),
    "referir": ("refiere", "refieren", "refirió", "refirieron", "referido"),
    "conseguir": ("consigue", "consiguen", "consiguió", "consiguieron", "conseguido"),
    "impedir": ("impide", "impiden", "impidió", "impidieron", "impedido"),
    "medir": ("mide", "miden", "midió", "midieron", "medido"),
    "servir": ("sirve", "sirven", "sirvió", "sirvieron", "servido"),
    "elegir": ("elige", "eligen", "eligió", "eligieron", "elegido"),
    "rendir": ("rinde", "rinden", "rindió", "rindieron", "rendido"),
    "demostrar": ("demuestra", "demuestran", "demostró", "demostraron", "demostrado"),
    "mostrar": ("muestra", "muestran", "mostró", "mostraron", "mostrado"),
    "comprobar": ("comprueba", "comprueban", "comprobó", "comprobaron", "comprobado"),
    "aprobar": ("aprueba", "aprueban", "aprobó", "aprobaron", "aprobado"),
    "acordar": ("acuerda", "acuerdan", "acordó", "acordaron", "acordado"),
    "renovar": ("renueva", "renuevan", "renovó", "renovaron", "renovado"),
    "promover": ("promueve", "promueven", "promovió", "promovieron", "promovido"),
    "recomendar": ("recomienda", "recomiendan", "recomendó", "recomendaron", "recomendado"),
    "atender": ("atiende", "atienden", "atendió", "atendieron", "atendido"),
    "defender": ("defiende", "defienden", "defendió", "defendieron", "defendido"),
    "extender": ("extiende", "extienden", "extendió", "extendieron", "extendido"),
    "comenzar": ("comienza", "comienzan", "comenzó", "comenzaron", "comenzado"),
    "sembrar": ("siembra", "siembran", "sembró", "sembraron", "sembrado"),
    "repensar": ("repiensa", "repiensan", "repensó", "repensaron", "repensado"),
    "replantear": ("replantea", "replantean", "replanteó", "replantearon", "replanteado"),
    "plantear": ("plantea", "plantean", "planteó", "plantearon", "planteado"),
}

ADVERBS = """
también además especialmente principalmente particularmente finalmente actualmente recientemente
progresivamente gradualmente directamente indirectamente significativamente claramente efectivamente
necesariamente todavía aún ya siempre frecuentemente generalmente habitualmente rápidamente lentamente
conjuntamente mutuamente plenamente parcialmente totalmente únicamente solamente apenas casi bastante
posteriormente inicialmente previamente simultáneamente paralelamente sistemáticamente
permanentemente periódicamente anualmente localmente institucionalmente técnicamente políticamente
económicamente socialmente explícitamente formalmente activamente decididamente ampliamente
""".split()

CONNECTORS = [
    "Además", "Sin embargo", "No obstante", "Por otro lado", "Por otra parte", "En este sentido",
    "En ese marco", "Asimismo", "Por ello", "Por lo tanto", "En consecuencia", "De este modo",
    "Al mismo tiempo", "En la práctica", "En términos generales", "En primer lugar",
    "En segundo lugar", "Finalmente", "A su vez", "Del mismo modo", "Por último", "En cambio",
    "Es decir", "Con todo", "A pesar de ello", "En suma", "En resumen", "Según los participantes",
    "Según el informe", "De acuerdo con los datos disponibles", "Desde entonces", "Hasta ahora",
    "Durante ese periodo", "En los últimos años", "En aquel momento", "Como resultado",
    "Sobre esa base", "En paralelo", "De manera complementaria", "Visto en perspectiva",
    "Según los entrevistados", "A diferencia de otras regiones", "En el caso analizado",
]

# Multiword domain terms: gender+number prefix (ms, fs, mp, fp).
PHRASES = """
fs:gestión del conocimiento|fs:incidencia política|fs:cadena productiva|fp:cadenas productivas
fs:agricultura familiar|fs:seguridad alimentaria|fs:soberanía alimentaria|fs:desnutrición crónica infantil
fs:anemia infantil|fs:lactancia materna exclusiva|fs:alimentación complementaria|fs:atención primaria de salud
fs:política pública|fp:políticas públicas|fs:gestión por resultados|fs:gestión pública|fs:gestión descentralizada
fs:gestión del riesgo de desastres|fs:gestión integrada de recursos hídricos|fs:inversión pública
fs:inversión privada|fs:cooperación internacional|fs:cooperación técnica|fs:cooperación descentralizada
fs:sociedad civil|fs:sociedad civil organizada|fs:rendición de cuentas|fs:vigilancia ciudadana
fs:participación ciudadana|fs:mesa de concertación|fs:mesa de concertación para la lucha contra la pobreza
fs:mesa técnica|fs:mesa de diálogo|fs:economía campesina|fs:economía solidaria|fs:economía rural
fs:asistencia técnica|fs:transferencia tecnológica|fs:extensión rural|fs:innovación agraria|fs:agenda pública
fs:agenda regional|fs:zonificación ecológica y económica|fs:planificación concertada|fs:reforma del Estado
fs:modernización de la gestión pública|fs:estrategia nacional de desarrollo rural|fs:estrategia de intervención
fs:línea de base|fs:línea de pobreza|fs:brecha de género|fs:violencia contra la mujer|fs:igualdad de género
fs:equidad de género|fs:educación intercultural bilingüe|fs:educación inicial|fs:educación rural
fs:salud materna|fs:salud pública|fs:salud comunitaria|fs:vigilancia nutricional|fs:vigilancia comunal
fs:alianza multiactor|fs:alianza público-privada|fs:asociación de productores|fs:organización de base
fs:organización social de base|fs:junta vecinal|fs:junta de usuarios|fs:comunidad campesina|fs:comunidad nativa
fp:comunidades campesinas|fp:comunidades nativas|fs:población rural|fs:población vulnerable|fs:población objetivo
fs:municipalidad distrital|fs:municipalidad provincial|fs:red de salud|fs:microrred de salud
fs:red de aprendizaje|fs:plataforma de diálogo|fs:Ley Orgánica de Municipalidades
fs:Ley de Bases de la Descentralización|fs:meta física|fs:ejecución presupuestal|fs:asignación presupuestal
fs:brecha de infraestructura|fs:cuenca alta|fs:cadena de valor|fs:oferta exportable|fs:demanda efectiva
fs:marca colectiva|fs:denominación de origen|fs:certificación orgánica|fs:agricultura orgánica
fs:agricultura de conservación|fs:ganadería altoandina|fs:crianza de cuyes|fs:pesca artesanal
fs:actividad minera|fs:minería informal|fs:consulta previa|fs:licencia social
fs:responsabilidad social empresarial|fs:cultura de evaluación|fs:cultura organizacional
fs:memoria institucional|fs:buena práctica|fp:buenas prácticas|fs:lección aprendida|fp:lecciones aprendidas
fs:hoja de ruta|fs:teoría de cambio|fs:cadena de resultados|fs:matriz de marco lógico|fs:evaluación de impacto
fs:evaluación intermedia|fs:evaluación final|fs:evaluación participativa|fs:sistematización de experiencias
fs:investigación-acción|fs:escuela de campo|fp:escuelas de campo|fs:feria agropecuaria|fs:pasantía
fs:comunidad de práctica|fs:red de conocimiento|fs:gestión territorial|fs:gestión ambiental
fs:gestión del agua|fs:gestión de residuos sólidos|fs:seguridad hídrica|fs:cosecha de agua|fs:siembra de agua
fs:infraestructura de riego|fs:infraestructura productiva|fs:infraestructura social|fs:vivienda rural
fs:cocina mejorada|fp:cocinas mejoradas|fs:calidad del gasto|fs:calidad educativa|fs:calidad de vida
fs:esperanza de vida|fs:tasa de mortalidad infantil|fs:tasa de pobreza|fs:pobreza extrema
fs:pobreza monetaria|fs:pobreza multidimensional|fs:protección social|fs:transferencia monetaria condicionada
fs:pensión no contributiva|fs:seguridad ciudadana|fs:violencia familiar|fs:atención integral de la primera infancia
fs:primera infancia|fs:educación básica regular|fs:comprensión lectora|fs:deserción escolar
fs:carrera pública magisterial|fs:reforma magisterial|fs:gestión escolar|fs:institución educativa
fp:instituciones educativas|fs:vigilancia epidemiológica|fs:historia clínica|fs:cartilla de vacunación
fs:sesión demostrativa|fp:sesiones demostrativas|fs:visita domiciliaria|fp:visitas domiciliarias
fs:consejería nutricional|fs:suplementación con hierro|fs:agua segura|fs:ordenanza regional|fs:ordenanza municipal
fs:ruta de incidencia|fs:voluntad política|fs:capacidad de gasto|fs:capacidad instalada|fs:carrera pública
fs:rotación de personal|fs:alta rotación de funcionarios|fs:articulación territorial|fs:articulación intersectorial
fs:articulación comercial|fs:articulación al mercado|fs:inclusión financiera|fs:inclusión económica
fs:inclusión social|fs:lucha contra la pobreza|fs:lucha contra la corrupción|fs:ley de presupuesto
ms:desarrollo rural|ms:desarrollo económico local|ms:desarrollo territorial|ms:desarrollo humano
ms:desarrollo sostenible|ms:desarrollo de capacidades|ms:desarrollo infantil temprano|ms:presupuesto participativo
mp:presupuestos participativos|ms:presupuesto por resultados|ms:programa presupuestal|mp:programas presupuestales
ms:programa social|mp:programas sociales|ms:programa de transferencias condicionadas|ms:gobierno regional
mp:gobiernos regionales|ms:gobierno local|mp:gobiernos locales|ms:gobierno nacional|ms:gobierno central
ms:Estado peruano|ms:sector público|ms:sector privado|ms:sector agrario|ms:sector salud|ms:sector educación
ms:plan de desarrollo concertado|ms:plan estratégico institucional|ms:plan de negocio|mp:planes de negocio
ms:plan de acción|ms:plan operativo institucional|ms:plan de incidencia|ms:proyecto de inversión pública
mp:proyectos de inversión pública|ms:proyecto productivo|mp:proyectos productivos|ms:proyecto piloto
ms:fondo concursable|mp:fondos concursables|ms:fondo de contravalor|ms:canon minero
ms:Fondo de Compensación Municipal|ms:Sistema Nacional de Inversión Pública|ms:sistema de monitoreo y evaluación
ms:sistema de información|ms:sistema de alerta temprana|ms:ordenamiento territorial|ms:manejo de cuencas
ms:manejo forestal|ms:manejo sostenible de los recursos naturales|ms:cambio climático|ms:calentamiento global
ms:control de la anemia|ms:crecimiento infantil|ms:cuidado infantil|ms:control de crecimiento y desarrollo
ms:enfoque de derechos|ms:enfoque territorial|ms:enfoque de género|ms:enfoque intercultural
ms:enfoque de cadena|ms:enfoque participativo|ms:diálogo político|ms:diálogo multiactor
ms:espacio de concertación|mp:espacios de concertación|ms:espacio público|ms:consejo de coordinación regional
ms:consejo de coordinación local|ms:comité de gestión|ms:comité de vigilancia|ms:comité multisectorial
ms:gobierno abierto|ms:acceso a mercados|ms:acceso al crédito|ms:acceso a la información|ms:acceso al agua
ms:capital social|ms:tejido social|ms:tejido empresarial|ms:valor agregado|ms:precio justo|ms:comercio justo
ms:mercado local|ms:mercado nacional|ms:mercado internacional|ms:mercado de trabajo|ms:empleo rural no agrícola
ms:ingreso familiar|ms:ingreso per cápita|ms:saneamiento básico|ms:saneamiento rural|ms:servicio de extensión
ms:servicio público|mp:servicios públicos|ms:servicio de salud|mp:servicios de salud|ms:puesto de salud
ms:centro de salud|ms:centro poblado|mp:centros poblados|ms:pueblo indígena|mp:pueblos indígenas
ms:pueblo originario|ms:conocimiento tradicional|ms:conocimiento local|ms:saber local|mp:saberes locales
ms:intercambio de experiencias|ms:intercambio de saberes|ms:aprendizaje colectivo|ms:aprendizaje organizacional
ms:aprendizaje entre pares|ms:trabajo en red|ms:trabajo articulado|ms:trabajo conjunto|ms:liderazgo femenino
ms:empoderamiento económico de las mujeres|ms:emprendimiento rural|ms:fortalecimiento institucional
ms:fortalecimiento de capacidades|ms:financiamiento climático|ms:seguro agrario|ms:crédito agrario
ms:riego tecnificado|ms:sistema de riego|mp:sistemas de riego|ms:pago por servicios ecosistémicos
ms:mecanismo de retribución por servicios ecosistémicos|ms:bosque seco|ms:bosque amazónico|ms:páramo andino
ms:valle interandino|ms:corredor económico|ms:corredor biológico|ms:eje de desarrollo|ms:circuito turístico
ms:turismo rural comunitario|ms:producto bandera|ms:producto andino|mp:productos andinos|ms:cultivo andino
mp:cultivos andinos|ms:cultivo de exportación|ms:sistema agroforestal|ms:proceso de descentralización
ms:proceso participativo|ms:proceso electoral|ms:proceso de planificación|ms:proceso de aprendizaje
ms:proceso de incidencia|ms:marco normativo|ms:marco legal|ms:marco institucional|ms:marco conceptual
ms:marco lógico|ms:ciclo de proyecto|ms:ciclo de la inversión|ms:ciclo presupuestal|ms:periodo de gobierno
ms:cambio de autoridades|ms:cambio de gestión|ms:nivel de gobierno|ms:gasto social|ms:gasto corriente
ms:gasto de capital|ms:gasto público|ms:recurso hídrico|mp:recursos hídricos|mp:recursos naturales
mp:recursos ordinarios|mp:recursos determinados|mp:ingresos propios|mp:actores locales|mp:actores sociales
mp:actores clave|mp:tomadores de decisiones|mp:decisores de política|mp:equipos técnicos
mp:agentes comunitarios de salud|mp:líderes comunales|mp:productores organizados|mp:pequeños productores
mp:hogares rurales|mp:niños menores de cinco años|mp:niños y niñas|mp:promotores comunitarios
mp:gobiernos subnacionales|mp:organismos de cooperación|mp:centros de investigación|mp:medios de comunicación
fs:el área natural protegida|fp:áreas naturales protegidas|fp:áreas rurales|fs:el agua potable
fs:el agua de riego|fs:el agua para consumo humano
""".replace("\n", "|").split("|")

# Noun phrases that carry their own determiner.
NAMED = """
ms:el Ministerio de Economía y Finanzas|ms:el MEF|ms:el Ministerio de Desarrollo e Inclusión Social
ms:el MIDIS|ms:el Ministerio de Salud|ms:el Minsa|ms:el Ministerio de Agricultura y Riego|ms:el Minagri
ms:el Ministerio de Educación|ms:el Minedu|ms:el Ministerio de la Mujer y Poblaciones Vulnerables
ms:el Ministerio del Ambiente|ms:el Ministerio de la Producción|ms:el Congreso de la República
fs:la Presidencia del Consejo de Ministros|fs:la PCM|ms:el Centro Nacional de Planeamiento Estratégico
ms:el CEPLAN|ms:el Instituto Nacional de Estadística e Informática|ms:el INEI
fs:la Encuesta Demográfica y de Salud Familiar|fs:la ENDES|ms:el programa Qali Warma|ms:el programa Juntos
ms:el programa Cuna Más|ms:el programa Pensión 65|ms:el Fondo de Cooperación para el Desarrollo Social
ms:el FONCODES|ms:el programa Agrorural|fs:Sierra Exportadora|ms:el SNIP|ms:el sistema Invierte.pe
ms:el PROCOMPITE|fs:la Defensoría del Pueblo|fs:la Contraloría General de la República
fs:la Asamblea Nacional de Gobiernos Regionales|fs:la Red de Municipalidades Rurales del Perú
fs:la Mesa de Concertación para la Lucha contra la Pobreza|ms:el Acuerdo Nacional
ms:el Servicio Nacional de Sanidad Agraria|ms:el SENASA|ms:el Instituto Nacional de Innovación Agraria
ms:el INIA|ms:el Seguro Integral de Salud|ms:el SIS|ms:el Registro Nacional de Identificación
ms:el Reniec|ms:el Banco de la Nación|ms:el Agrobanco|fs:la Autoridad Nacional del Agua|fs:la ANA
fs:la Agencia Peruana de Cooperación Internacional|fs:la APCI|ms:el Movimiento SUN
fs:la Organización de las Naciones Unidas para la Alimentación y la Agricultura|fs:la FAO
ms:el Programa Mundial de Alimentos|ms:el PMA|ms:el Banco Mundial|ms:el Banco Interamericano de Desarrollo
ms:el BID|fs:la Unión Europea|ms:el Fondo Internacional de Desarrollo Agrícola|ms:el FIDA
""".replace("\n", "|").split("|")

PE_REGIONS = [
    ("Amazonas", "AMA"), ("Áncash", "ANC"), ("Apurímac", "APU"), ("Arequipa", "ARE"),
    ("Ayacucho", "AYA"), ("Cajamarca", "CAJ"), ("Cusco", "CUS"), ("Huancavelica", "HUV"),
    ("Huánuco", "HUC"), ("Ica", "ICA"), ("Junín", "JUN"), ("La Libertad", "LAL"),
    ("Lambayeque", "LAM"), ("Lima", "LIM"), ("Loreto", "LOR"), ("Madre de Dios", "MDD"),
    ("Moquegua", "MOQ"), ("Pasco", "PAS"), ("Piura", "PIU"), ("Puno", "PUN"),
    ("San Martín", "SAM"), ("Tacna", "TAC"), ("Tumbes", "TUM"), ("Ucayali", "UCA"),
]
PE_PROVINCES = """Chachapoyas Huaraz Abancay Andahuaylas Caylloma Huamanga Cangallo Chota Jaén Cajabamba
Celendín Urubamba Quispicanchi Espinar Chumbivilcas Tayacaja Angaraes Acobamba Huancayo Satipo
Chanchamayo Tarma Jauja Otuzco Ferreñafe Huaura Yauyos Maynas Oxapampa Ayabaca Huancabamba Morropón
Azángaro Melgar Moyobamba Rioja Lamas Tocache Bellavista Atalaya Huanta Lucanas Vilcashuamán Sucre
Carhuaz Yungay Pomabamba Huari Bolognesi Cotabambas Grau Aymaraes Chincheros Calca Canchis Paruro
Acomayo Anta Paucartambo Lampa Carabaya Sandia Huancané Moho Chucuito Yunguyo Castilla Condesuyos
La Unión Hualgayoc Cutervo Contumazá Pataz Bolívar Huamachuco Dos de Mayo Pachitea Leoncio Prado
Daniel Alcides Carrión Concepción Chupaca Huaytará Castrovirreyna Churcampa Picota Huallaga""".split()
PE_PROVINCES = [p.replace("_", " ") for p in PE_PROVINCES if p not in {"Daniel", "Alcides", "Carrión",
                "Leoncio", "Prado", "Dos", "de", "Mayo", "La", "Unión"}] + [
    "Daniel Alcides Carrión", "Leoncio Prado", "Dos de Mayo", "La Unión", "Padre Abad",
    "Coronel Portillo", "Alto Amazonas", "Datem del Marañón", "Sánchez Carrión", "Gran Chimú"]
OTHER_PLACES = {
    "BO": ["Cochabamba", "Potosí", "Chuquisaca", "Oruro", "Tarija", "La Paz", "el altiplano boliviano"],
    "EC": ["Chimborazo", "Cotopaxi", "Imbabura", "Loja", "Bolívar", "la sierra ecuatoriana"],
    "CO": ["Nariño", "Cauca", "Boyacá", "Huila", "el sur de Colombia"],
    "GE": ["Kajetia", "Imereti", "Samegrelo", "Shida Kartli", "la Georgia rural"],
    "ZM": ["la Provincia Oriental", "la Provincia del Sur", "Lusaka", "la Provincia del Norte"],
}
COUNTRY_NAMES = {"PE": "el Perú", "BO": "Bolivia", "EC": "el Ecuador", "CO": "Colombia",
                 "GE": "Georgia", "ZM": "Zambia"}

HEADINGS = """Antecedentes|Objetivos del estudio|Metodología|Principales hallazgos|Resultados|Lecciones aprendidas
Recomendaciones|El papel de los gobiernos locales|Articulación con el Estado|Participación de las comunidades
Financiamiento y presupuesto|Sostenibilidad de los resultados|Desafíos pendientes|Incidencia en políticas públicas
Enfoque de género|La ruta de incidencia|Actores y roles|Cómo se organizó la alianza|Qué cambió en las políticas
Factores de éxito|Dificultades encontradas|Marco normativo|La experiencia en el territorio|Alcance y limitaciones
Diseño de la intervención|Estrategia de implementación|Gestión del conocimiento|Monitoreo y evaluación
Aportes a la política regional|Costos y beneficios|Perspectivas|Descripción del proyecto|Población beneficiaria
Área de intervención|Cronología|El punto de partida|Primeros pasos|Evidencia generada|Diálogo con las autoridades
Escalamiento y réplica|Relación con el mercado|Gobernanza de la alianza|Aprendizajes para otras alianzas
Preguntas para el debate|Balance general|Fuentes de información|Criterios de evaluación|Pertinencia|Eficacia
Eficiencia|Impacto|Sostenibilidad|¿Qué funcionó y qué no?|¿Quién decide?|Propuesta de política|Instrumentos
Herramientas para los equipos|Pasos para formar una alianza|Roles de los socios|Costos de coordinación
Seguimiento de compromisos|Rendición de cuentas|Voces de la comunidad|Próximos pasos""".replace("\n", "|").split("|")

TABLE_INDICATORS = [
    "Desnutrición crónica infantil", "Anemia en menores de 3 años", "Pobreza monetaria",
    "Pobreza extrema", "Cobertura de agua segura", "Ejecución presupuestal",
    "Hogares con riego tecnificado", "Productores asociados", "Ingreso familiar anual",
    "Partos institucionales", "Niños con controles completos", "Gasto por alumno",
    "Asistencia a educación inicial", "Superficie reforestada", "Organizaciones fortalecidas",
    "Planes de negocio financiados", "Municipalidades con ordenanza", "Mujeres en cargos directivos",
]

GIVEN = """Rosa María Miguel Ana Carmen Luis Jorge Juana Pedro Elena Carlos Lucía José Teresa Julio Silvia
Raúl Gloria Víctor Patricia Javier Mónica Fernando Sonia César Martha Alberto Isabel Ricardo Norma
Eduardo Beatriz Óscar Ruth Hugo Inés Walter Nelly Marco Yolanda Alfredo Milagros Ernesto Rocío Gustavo
Elizabeth Rubén Liliana Hernán Flor Iván Susana Percy Maribel Wilber Edith Fredy Delia Rolando Marleny
Germán Zoila Santiago Valeria Diego Camila Andrés Daniela Sebastián Gabriela Alejandro Paola Nicolás
Ximena Mateo Fabiola Ángel Jimena Tomás Ingrid""".split()
SURNAMES = """Quispe Mamani Huamán Flores Rodríguez García Chávez Vásquez Ramírez Torres Rojas Castillo
Mendoza Gutiérrez Cárdenas Paredes Salazar Zapata Ccori Condori Choque Apaza Ticona Huanca Yupanqui
Cusi Pari Villanueva Espinoza Ríos Sánchez Díaz Pérez López Gonzales Herrera Medina Aguilar Vargas
Ramos Cruz Morales Ortiz Silva Núñez Cáceres Palomino Montoya Valdivia Figueroa Benavides Del Águila
Ordinola Trivelli Remy Tanaka Arellano Muñoz Ccopa Layme Puma Soncco Illa Huillca Ayma Cutipa Yucra
Arias Campos Carrasco Lozano Aliaga Bustamante Olivera Pinto Reátegui Panduro Shapiama Tuesta Chumpitaz
Saavedra Cornejo Málaga Zegarra Velarde Barrientos Loayza Pacheco Gamarra Escobar Tello Revilla""".split()

NAME_WORDS = """Kallpa Wiñay Sumaq Illari Inti Pacha Ayllu Minka Tinkuy Yachay Ñawi Tarpuy Qhapaq Runa Allpa
Yaku Sisa Killa Wayra Urpi Chaski Amaru Kuntur Pukara Suyu Tupay Musuq Chakra Hatun Waman Pachamama
Andino Amazónico Horizonte Progreso Solidaridad Esperanza Futuro Encuentro Puente Semilla Raíces Surco
Cosecha Sembrando Arguedas Basadre Raimondi Amauta Mariátegui Bartolomé Aurora Confluencia Cumbre
Altiplano Quebrada Cordillera Manantial Vertiente Ceibo Quinual Molle Retama Huaranhuay Tara Cantuta
Lúcuma Chirimoya Ichu Totora Wiphala Ñusta Apu Tambo Qollana Ayni Raymi Kusi Chasqui Intiwasi""".split()
NATIONALITIES = ["Belga", "Suiza", "Alemana", "Española", "Canadiense", "Sueca", "Noruega", "Danesa",
                 "Italiana", "Japonesa", "Coreana", "Neerlandesa", "Finlandesa", "Austriaca",
                 "Irlandesa", "Británica", "Francesa", "Luxemburguesa"]
MINISTRIES = ["Agricultura y Riego", "Desarrollo e Inclusión Social", "Salud", "Educación",
              "la Mujer y Poblaciones Vulnerables", "Economía y Finanzas", "Ambiente", "la Producción",
              "Comercio Exterior y Turismo", "Vivienda, Construcción y Saneamiento", "Cultura",
              "Trabajo y Promoción del Empleo", "Energía y Minas"]
MINISTRY_ABBR = ["MINAGRI", "MIDIS", "MINSA", "MINEDU", "MIMP", "EF", "MINAM", "PRODUCE",
                 "MINCETUR", "VIVIENDA", "MC", "TR", "EM"]

TOPICS = """Gestión del conocimiento|Incidencia política|Cadenas productivas|Alianzas multiactor
Desarrollo rural|Desnutrición crónica infantil|Presupuesto participativo|Descentralización|Inversión pública
Agricultura familiar|Seguridad alimentaria|Gestión del agua|Cambio climático|Gobiernos locales|Anemia infantil
Participación ciudadana|Igualdad de género|Educación rural|Salud materna|Gestión por resultados
Desarrollo económico local|Articulación al mercado|Innovación agraria|Protección social|Pueblos indígenas
Gestión de riesgos|Vigilancia ciudadana|Rendición de cuentas|Sistematización de experiencias
Evaluación de impacto|Cooperación internacional|Economía campesina|Asistencia técnica|Riego
Ordenamiento territorial|Manejo de recursos naturales|Biodiversidad|Turismo rural comunitario|Primera infancia
Programas sociales|Transferencias condicionadas|Agua y saneamiento|Vivienda rural|Educación intercultural
Violencia contra la mujer|Juventud rural|Empleo rural|Inclusión financiera|Microfinanzas|Cooperativas
Comercio justo|Agricultura orgánica|Ganadería altoandina|Camélidos sudamericanos|Pesca artesanal
Minería y desarrollo|Conflictos socioambientales|Consulta previa|Bosques|Reforestación|Cuencas
Planificación concertada|Planeamiento estratégico|Modernización del Estado|Transparencia
Lucha contra la corrupción|Gobierno abierto|Mesas de concertación|Sociedad civil|Redes de aprendizaje
Comunidades de práctica|Extensión rural|Escuelas de campo|Semillas|Cultivos andinos|Quinua|Papa nativa
Café|Cacao|Lácteos|Cuyes|Apicultura|Acuicultura|Seguro agrario|Crédito agrario|Infraestructura rural
Caminos rurales|Electrificación rural|Conectividad|Telecentros|Salud comunitaria|Agentes comunitarios
Nutrición|Lactancia materna|Alimentación escolar|Identidad y documentación|Discapacidad|Adultos mayores
Migración|Remesas|Responsabilidad social|Alianzas público-privadas|Fondos concursables|Canon y regalías
Finanzas municipales|Recaudación local|Catastro|Titulación de tierras|Comunidades campesinas
Comunidades nativas|Amazonía|Sierra sur|Zonas altoandinas|Heladas y friaje|Sequías|Cosecha de agua
Siembra de agua|Humedales|Páramos|Áreas naturales protegidas|Servicios ecosistémicos|Energías renovables
Cocinas mejoradas|Residuos sólidos|Desarrollo infantil temprano|Cuidado infantil|Educación inicial
Comprensión lectora|Docentes rurales|Gestión escolar|Formación técnica|Emprendimiento juvenil
Liderazgo femenino|Empoderamiento económico|Violencia familiar|Salud sexual y reproductiva
Mortalidad materna|Vacunación|Atención primaria|Monitoreo y evaluación|Teoría de cambio|Línea de base
Comunicación para el desarrollo|Radio comunitaria|Datos abiertos|Estadísticas regionales""".replace("\n", "|").split("|")

TOPIC_QUALIFIERS = ["en la Amazonía", "en la sierra", "en zonas rurales", "en gobiernos regionales",
                    "en municipios rurales", "con enfoque de género", "en la costa norte",
                    "y políticas públicas", "e interculturalidad", "en el sur andino"]

# Small English vocabulary for the ~3 % of products in English.
EN_NOUNS = """policy programme project alliance partner government budget community network strategy
approach process outcome impact indicator mechanism system service resource knowledge learning
capacity evidence research study evaluation assessment farmer producer market chain value income
household child mother woman family nutrition health education school district region province
municipality ministry authority decision dialogue platform agenda reform law regulation ordinance
investment fund grant donor agency organisation institution actor stakeholder leader team workshop
training meeting report guide lesson practice experience innovation technology water irrigation
land crop harvest seed climate risk poverty inequality inclusion participation accountability
transparency coordination cooperation planning implementation monitoring framework model tool method
survey interview baseline target gap trend increase reduction access right""".split()
EN_ADJ = """local regional national rural urban public private social economic political productive
agricultural sustainable inclusive participatory decentralised effective efficient relevant key
main new small large strong weak joint shared long-term short-term technical institutional
multi-stakeholder chronic severe vulnerable indigenous Andean Amazonian formal informal annual
significant modest limited broad specific practical strategic collective""".split()
EN_VERBS = [("strengthen", "strengthened"), ("promote", "promoted"), ("support", "supported"),
            ("improve", "improved"), ("reduce", "reduced"), ("increase", "increased"),
            ("develop", "developed"), ("design", "designed"), ("implement", "implemented"),
            ("finance", "financed"), ("evaluate", "evaluated"), ("document", "documented"),
            ("share", "shared"), ("build", "built"), ("create", "created"), ("shape", "shaped"),
            ("influence", "influenced"), ("inform", "informed"), ("link", "linked"),
            ("connect", "connected"), ("show", "showed"), ("reveal", "revealed"),
            ("address", "addressed"), ("require", "required"), ("enable", "enabled"),
            ("expand", "expanded"), ("adopt", "adopted"), ("approve", "approved"),
            ("coordinate", "coordinated"), ("identify", "identified"), ("analyse", "analysed"),
            ("measure", "measured"), ("sustain", "sustained"), ("involve", "involved"),
            ("mobilise", "mobilised"), ("prioritise", "prioritised"), ("fund", "funded")]
EN_CONNECTORS = ["However", "In addition", "As a result", "In practice", "At the same time",
                 "For this reason", "Moreover", "In the end", "By contrast", "Over time",
                 "According to the participants", "In this sense", "Nevertheless", "Overall"]
EN_HEADINGS = ["Background", "Objectives", "Methodology", "Main findings", "Results",
               "Lessons learned", "Recommendations", "The role of local governments",
               "Working with the State", "Community participation", "Funding and budget",
               "Sustainability", "Remaining challenges", "Policy influence", "Gender approach",
               "How the alliance was organised", "What changed in policy", "Success factors",
               "Scope and limitations", "Next steps", "Who decides?", "Costs and benefits"]


# A second batch of lemmas, appended to the lists above (ranked after the shuffle like the rest).
NOUNS_M += """
asesinato? abastecimiento* acondicionamiento* afianzamiento* agroecosistema alineamiento almacenamiento*
amortiguamiento* andén aprovechamiento* arraigo* asentamiento atractivo autoconsumo* autodiagnóstico
autoempleo* avalúo bofedal cálculo caminante cantón capítulo cargamento cauce cobro comedor comercio*
compost* concejo condicionamiento conglomerado cónyuge costal cuaderno cuidado cumplimiento* deslinde
desembolso despacho desplazamiento diagnóstico dirigente distanciamiento* ecoturismo* egreso empadronamiento
encadenamiento endeudamiento* enfoque entendimiento* equipamiento* escalamiento* estiaje* excedente fideicomiso
financista forestal galpón gestor hallazgo hectárea? huaico huerto incendio injerto intercambio inventario
jardín kilómetro laboratorio latifundio linaje liderazgo maizal manantial maquinaria? matorral mecanismo
minifundio mobiliario* molino monocultivo motor muestreo nevado nivel ordenamiento padrón pajonal
pasivo patrimonio peaje perfil periodo pesticida piso pluviómetro poblador poder* portafolio posicionamiento
posgrado potencial pregrado presupuesto proceso programa protocolo proveedor puquial quechua* rebrote
recambio reciclaje recurso reglamento relevo remanente rendimiento repositorio requerimiento resguardo*
retorno riesgo rotafolio saneamiento sector semillero sembrío seminario sobreprecio sobrepastoreo* socavón
subsector sustento tambo tejido temporal terrateniente territorio tipo tractor tramo transporte trasvase
trueque* tubérculo umbral usufructo* vaciado valle vehículo veedor vocal voluntariado* yacimiento zanjón
acervo* agravio alquiler anhelo aplicativo arbitraje arrendamiento aseguramiento* auge balneario baremo
beneficio bienio brote calendario campamento cañón catálogo caudal cerco certamen chaccu ciclo clúster
cobertizo coeficiente cofinanciamiento* compromiso concurso conversatorio convenio crecimiento cuadro
cupo currículo decrecimiento deshielo* desarraigo* desempleo* dimensionamiento* distintivo dividendo
documental ejemplo embalse empalme enlace entregable epicentro esquema estatuto estrato expediente
fortín foro friaje* gabinete gasoducto giro grifo horario hurto idioma impuesto incentivo ingreso
insumo itinerario jornal lema liderazgo litoral lugar margen medicamento mejoramiento membrete mensaje
método microclima municipio narrador oficio oleoducto organigrama padrinazgo panel paradigma parámetro
pasaje patrón pedido pilar planteamiento poblado portal precedente premio presidente principio
procedimiento promedio pronóstico propósito puntaje quintil rango rasgo recorte reembolso referente
reglamento relato rendimiento reparto reporte requisito resumen reto rostro sabor salón semáforo sentido
signo síntoma sistema sitio sondeo subsidio sueño sujeto suministro surco taller tamaño techo terremoto
testimonio tiempo trabajo trasfondo trato turno valor vecindario viaje vínculo volumen
""".split()

NOUNS_F += """
abstención acequia acogida adjudicación adquisición agremiación agrobiodiversidad* agroindustria
agroecología* alfabetización* alianza alimentación altitud altura andenería* anuencia apertura
apropiación ardilla? arquitectura asesoría asignación asociatividad* atribución auditoría autoestima*
autogestión* autoridad ayuda balanza bancada bandeja bienal bitácora bodega bonificación bromatología?
caída calificación cámara canalización capa capacitación captación carencia carga carpeta carrera
casa caseta categoría cautela? celebración centralidad* certeza cifra citación clasificación clausura
cofradía? cohesión* colaboración colecta colocación comarca? comercialización comisaría compensación
complementariedad* complejidad comprensión concesión concienciación* conducción conformación
congregación? consolidación constancia constitución construcción contabilidad* contaminación
contención contingencia contraparte contraprestación contratación contribución convivencia*
convocatoria corresponsabilidad* cosmovisión creación crianza cuantía cuota cultura cuna chacra
deliberación demarcación densidad dependencia depreciación desconfianza* descripción desnutrición
destreza desviación determinación deuda devolución diáspora? difusión dinámica directiva
discriminación* dispersión distribución diversificación diversidad divulgación docencia dotación
duplicación edificación eficiencia* elaboración electricidad* emisión empleabilidad* encuesta
enfermedad entrega envergadura? erradicación escala escasez* especialidad especie estabilidad*
estación estadística estancia estructura etnia evaluación evasión* exigencia expansión expectativa
explotación exposición extensión facultad falencia fauna* fertilidad* financiación firma flora*
fluctuación focalización fórmula franja frontera fumigación ganancia garantía generación geografía
gestación gobernabilidad* gobernanza* granja habilidad hacienda herencia hidrografía* homologación
huella ideología iglesia? iluminación* impunidad* incertidumbre* incorporación independencia
indicación inequidad inestabilidad* inflación* informalidad* infracción ingesta iniciativa inseguridad*
institucionalidad* integración integridad* intención intermediación interculturalidad* interrupción
intervención inundación jerarquía jornada labor ladera lealtad? legislación legalidad* lentitud*
liquidez* lista localización logística* longitud madurez* maleza malla manifestación mano marca
masificación materia maternidad* matriz mediación membresía? memoria mención merma migración minga
modalidad modernización morbilidad* mortalidad* motivación movilidad* muestra multa naturaleza
necesidad negociación normativa notificación obligación observación ocupación oficina omisión? opinión
orientación otorgación? padecimiento? paridad* parroquia participación pauta pendiente percepción
pérdida permanencia pertinencia* petición plaga planilla plantación plaza plusvalía? polarización*
ponencia potestad precariedad* precisión premisa prensa* presencia presión prestación previsión
primacía? privatización procedencia productividad profesión programación prohibición promoción
propiedad protesta provisión proximidad* proyección prueba publicidad* puesta pugna quebrada queja
racionalidad* radio raíz razón realidad rebaja recaudación recepción reciprocidad* recolección
reconversión recuperación red redistribución reestructuración referencia reforma regulación
reivindicación relevancia* remuneración renovación reorganización réplica reputación* reserva
residencia resistencia* restitución retribución reunión revisión riqueza* rotación ruptura salida
sanción selección semana sensibilización señalización sequía serie siembra sinergia situación
soberanía* sobrevivencia* solidaridad* solicitud subvención sucesión superficie supervisión
sustitución tarea tarifa tecnificación temporada tenencia tensión tentativa? teoría terminación
tesis textilería* titularidad tolerancia* toma totalidad tradición transición transparencia
trazabilidad* tributación* tutela ubicación unidad urbanización utilidad valoración vecindad veeduría
vejez vertiente viabilidad* vigencia* vinculación visibilidad* vivencia vocación voluntad zonificación
""".split()

ADJECTIVES += """
agroecológico agroindustrial alimenticio alternativo antiguo apropiado aprobado arraigado artificial
asociativo auténtico autogestionario bancario beneficioso cabal censal cercano ciudadano colectivo
complementario comprometido comunicacional conflictivo consistente contable contemporáneo convencional
correcto corriente cotidiano cultivable curricular decente democrático deportivo descentralista
desigual destacado dinámico directo disponible distinto doméstico dominante económico efímero electrónico
emergente empresarial endémico energético equilibrado erróneo escolarizado específico estable estatal
ético étnico evidente excesivo excluido exigente experimental explícito expuesto extractivo fallido
familiar fértil financiable flexible fluvial forzoso fronterizo funcional generacional genético global
habitual hidrográfico hidrológico histórico humano identitario idóneo ilegal implícito improductivo
incipiente incierto independiente indirecto inestable inicial inmediato innovador insostenible
integrador intensivo intercomunal interdisciplinario intermitente internacional interno invisible
irrigado jerárquico joven lejano liberal libre lluvioso longevo maderero masivo matutino mediano
mencionado migratorio militar minifundista móvil multidimensional municipal mutuo nativo neto nocturno
nominal notorio nutritivo obsoleto operacional ordinario organizativo original pasivo patrimonial
peligroso perenne pleno plurianual pluricultural político potencial precario predominante presencial
primordial problemático profesional profundo programático propicio proporcional provechoso prudente
quincenal rápido razonable real receptivo recíproco recurrente redistributivo referencial renovable
representativo residual restrictivo riguroso riesgoso rotativo saludable secuencial seguro sensible
sindical sistemático soberano solidario subsidiario sucesivo sustantivo técnico temático tenso
terapéutico textil tolerante tóxico tributario turístico último unitario útil vecinal verificable
vigente visible vital zonal
""".split()

VERBS += """
abastecer acceder acompañar acopiar activar adecuar administrar adquirir afianzar agilizar agregar
ahorrar alertar alinear almacenar alquilar amortiguar anticipar apalancar aprovechar arraigar asociar
atraer auditar autorizar avalar beneficiar calificar canjear capitalizar captar catalogar cautelar
censar centralizar certificar cofinanciar colaborar compatibilizar compensar completar concentrar
concluir condicionar conformar congregar conservar consignar constituir contabilizar contratar
contrarrestar convalidar cooperar coordinar corregir cotizar cuantificar custodiar debilitar delegar
delimitar depender desarrollar descentralizar desconcentrar desembolsar desincentivar despejar
destacar devolver difundir digitalizar dimensionar diversificar dotar duplicar editar egresar
empadronar encadenar encaminar encargar enfatizar enmarcar equipar erradicar escalar esclarecer
especializar estandarizar estructurar exceder explorar expresar facturar fijar flexibilizar fomentar
fraccionar fundamentar garantizar gravar habilitar homologar iluminar implantar incidir incrementar
indagar informatizar innovar instalar instaurar integrar interconectar intermediar interpretar
inventariar legitimar licitar liderar localizar maximizar mediar minimizar modernizar movilizar
negociar nivelar normalizar observar operar optimizar otorgar patrocinar percibir perfeccionar
persistir pilotear planificar posicionar postular preservar presupuestar prestar procurar profundizar
programar proyectar publicitar reactivar readecuar recabar reclamar recomponer reconvertir recuperar
redistribuir reestructurar reforestar reforzar registrar rehabilitar reinvertir remunerar reportar
reposicionar resaltar reservar resguardar retribuir revisar sancionar sanear simplificar sintetizar
socializar solicitar subsanar subvencionar sumar supervisar sustentar tecnificar tercerizar tipificar
trabajar tramitar transversalizar trasladar ubicar unificar urbanizar valorizar verificar viabilizar
visibilizar
""".split()

VERB_OVERRIDES.update({
    "adquirir": ("adquiere", "adquieren", "adquirió", "adquirieron", "adquirido"),
    "atraer": ("atrae", "atraen", "atrajo", "atrajeron", "atraído"),
    "corregir": ("corrige", "corrigen", "corrigió", "corrigieron", "corregido"),
    "devolver": ("devuelve", "devuelven", "devolvió", "devolvieron", "devuelto"),
    "recomponer": ("recompone", "recomponen", "recompuso", "recompusieron", "recompuesto"),
    "reforzar": ("refuerza", "refuerzan", "reforzó", "reforzaron", "reforzado"),
    "percibir": ("percibe", "perciben", "percibió", "percibieron", "percibido"),
    "adecuar": ("adecúa", "adecúan", "adecuó", "adecuaron", "adecuado"),
    "readecuar": ("readecúa", "readecúan", "readecuó", "readecuaron", "readecuado"),
    "amortiguar": ("amortigua", "amortiguan", "amortiguó", "amortiguaron", "amortiguado"),
})

ADVERBS += """
oportunamente adecuadamente debidamente expresamente mayoritariamente eventualmente tradicionalmente
históricamente sucesivamente escasamente relativamente notablemente sustancialmente crecientemente
paulatinamente estrechamente voluntariamente obligatoriamente colectivamente individualmente
territorialmente presupuestalmente legalmente informalmente""".split()

PHRASES_EXTRA = """
fs:articulación público-privada|fs:cadena láctea|fs:cadena de la quinua|fs:cadena del café
fs:cadena del cacao|fs:cadena de la papa nativa|fs:fibra de alpaca|fs:crianza de camélidos sudamericanos
fs:sanidad animal|fs:sanidad vegetal|fs:mejora genética|fs:asistencia técnica productiva
fs:escuela de líderes|fs:escuela de gobierno|fs:gestión municipal|fs:gestión regional
fs:gestión de la información|fs:gestión financiera|fs:gestión de proyectos|fs:gestión del territorio
fs:planificación territorial|fs:planificación estratégica|fs:programación multianual de inversiones
fs:cartera de proyectos|fs:ficha técnica|fs:unidad formuladora|fs:unidad ejecutora|fs:oficina de programación e inversiones
fs:meta de gestión|fs:transferencia de competencias|fs:transferencia de recursos|fs:transferencia de funciones
fs:instancia de coordinación|fs:instancia de articulación regional|fs:comisión multisectorial
fs:comisión de regantes|fs:organización de mujeres|fs:ronda campesina|fp:rondas campesinas
fs:federación campesina|fs:asociación de municipalidades|fs:mancomunidad municipal|fp:mancomunidades municipales
fs:red de municipalidades|fs:red de organizaciones|fs:red regional|fs:red temática
fs:sala situacional|fs:tarjeta de control|fs:vigilancia de la calidad del agua|fs:cloración del agua
fs:educación financiera|fs:cuenta de ahorro|fs:banca comunal|fp:bancas comunales|fs:caja municipal
fs:caja rural|fs:cooperativa de ahorro y crédito|fs:microempresa rural|fs:pequeña agricultura
fs:agricultura de subsistencia|fs:agricultura bajo riego|fs:agricultura de secano|fs:frontera agrícola
fs:pequeña producción|fs:producción orgánica|fs:producción sostenible|fs:producción lechera
fs:comercialización asociativa|fs:venta directa|fs:compra estatal|fs:compra pública
fs:ley de promoción agraria|fs:norma técnica|fs:directiva de gestión|fs:guía metodológica
fs:caja de herramientas|fs:ruta metodológica|fs:lección de política|fs:recomendación de política
ms:aprendizaje institucional|ms:aprendizaje por la acción|ms:banco de proyectos|ms:banco de semillas
ms:banco de leche humana|ms:comité de regantes|ms:comité de productores|ms:comité de salud
ms:consejo regional|ms:concejo municipal|ms:concejo distrital|ms:directorio de socios
ms:documento de trabajo|ms:documento de política|ms:estudio de mercado|ms:estudio de preinversión
ms:estudio de base|ms:expediente técnico|ms:fondo rotatorio|ms:fondo de desarrollo|ms:fondo social
ms:fondo de inversión|ms:grupo de trabajo|mp:grupos de trabajo|ms:grupo impulsor|ms:grupo focal
mp:grupos focales|ms:informe final|ms:informe de evaluación|ms:informe anual|ms:mapa de actores
ms:mapa de riesgos|ms:mapeo de actores|ms:modelo de gestión|ms:modelo de intervención
ms:modelo de negocio|ms:padrón de beneficiarios|ms:padrón nominal|ms:plan de trabajo|ms:plan de capacitación
ms:plan de vida|ms:plan de ordenamiento territorial|ms:plan de manejo|ms:plan local de seguridad ciudadana
ms:programa de capacitación|ms:programa de formación|ms:programa de becas|ms:programa de vaso de leche
ms:programa de complementación alimentaria|ms:proyecto de ley|ms:reglamento interno|ms:reporte de avance
ms:resultado intermedio|ms:resultado final|ms:sistema de vigilancia|ms:sistema de seguimiento
ms:sistema de gestión|ms:sistema financiero|ms:sistema educativo|ms:sistema de salud|ms:sistema alimentario
ms:taller de validación|mp:talleres de validación|ms:taller participativo|ms:tablero de control
ms:trabajo de campo|ms:uso del suelo|ms:uso eficiente del agua|ms:valor bruto de la producción
ms:índice de desarrollo humano|ms:índice de competitividad regional|ms:mapa de pobreza
ms:acceso a servicios básicos|ms:acceso a la justicia|ms:acceso a la tierra|ms:derecho a la alimentación
ms:derecho a la consulta|ms:derecho al agua|ms:derecho a la identidad|ms:enfoque de resultados
ms:enfoque de desarrollo territorial|ms:enfoque de medios de vida|ms:enfoque ecosistémico
ms:sector productivo|ms:sector turismo|ms:sector vivienda|ms:sector ambiente|ms:tercer sector
mp:medios de vida|mp:servicios financieros|mp:servicios ecosistémicos|mp:servicios de desarrollo empresarial
mp:gobiernos distritales|mp:gobiernos provinciales|mp:pisos ecológicos|mp:bienes públicos
mp:fondos públicos|mp:recursos públicos|mp:derechos colectivos|mp:conocimientos ancestrales
""".replace("\n", "|").split("|")
PHRASES += PHRASES_EXTRA

# Andean toponyms (roots + endings, as in Yanacocha or Rumipampa): the long tail of rare
# proper names that real field reports are full of.
TOPO_ROOTS = """Yana Rumi Huanca Ccollo Chaupi Hatun Pucá Quinua Ccasa Anta Qori Chaqui Lucma Sacsa Huaylla
Palla Tuco Condor Pisco Uchu Mayu Urpi Ccochi Llacta Marca Pata Chilca Lircay Taucca Huaru Quishuar
Chinchay Sallca Tambo Huasi Kiswar Llama Paucar Sullu Ayllu Cusi Tica Ticlla Ucu Pachi Ichu Huay""".split()
TOPO_ENDS = """cocha pampa marca pata bamba huasi cancha huayco rumi orcco chaca puquio llacta ccasa
pucro huaylla tambo cucho rao ccocha palca yoc chayoc hua sica mayo""".split()

# ---------------------------------------------------------------------------
# Morphology
# ---------------------------------------------------------------------------

_UNACCENT = str.maketrans("áéíóú", "aeiou")


def noun_plural(w: str) -> str:
    if w in PLURAL_OVERRIDES:
        return PLURAL_OVERRIDES[w]
    last = w[-1]
    if last in "aeiouáéó":
        return w + "s"
    if last in "íú":
        return w + "es"
    if w.endswith("ión"):
        return w[:-3] + "iones"
    if last == "z":
        return w[:-1] + "ces"
    if last in "sx":
        return w
    if len(w) > 2 and w[-2] in "áéíóú":
        return w[:-2] + w[-2].translate(_UNACCENT) + last + "es"
    return w + "es"


def adj_forms(a: str) -> tuple[str, str, str, str]:
    """(masc sg, fem sg, masc pl, fem pl)"""
    if a == "joven":
        return ("joven", "joven", "jóvenes", "jóvenes")
    if a in INVARIANT_ADJ:
        p = a + "s" if a[-1] in "ae" else a + "es"
        return (a, a, p, p)
    if a.endswith("o"):
        return (a, a[:-1] + "a", a + "s", a[:-1] + "as")
    if a[-1] in "aeé":
        return (a, a, a + "s", a + "s")
    if a.endswith("or"):
        return (a, a + "a", a + "es", a + "as")
    if a.endswith("z"):
        return (a, a, a[:-1] + "ces", a[:-1] + "ces")
    if len(a) > 2 and a[-2] in "áéíóú":
        p = a[:-2] + a[-2].translate(_UNACCENT) + a[-1] + "es"
        return (a, a, p, p)
    return (a, a, a + "es", a + "es")


def verb_forms(inf: str) -> tuple[str, str, str, str, str]:
    if inf in VERB_OVERRIDES:
        return VERB_OVERRIDES[inf]
    stem, end = inf[:-2], inf[-2:]
    if end == "ar":
        return (stem + "a", stem + "an", stem + "ó", stem + "aron", stem + "ado")
    if inf.endswith("uir") and not inf.endswith("guir"):
        s = inf[:-2]
        return (s + "ye", s + "yen", s + "yó", s + "yeron", s + "ido")
    return (stem + "e", stem + "en", stem + "ió", stem + "ieron", stem + "ido")


def dedupe(seq):
    seen, out = set(), []
    for x in seq:
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def ranked(items, head=30, salt="vocab"):
    """Keep the first `head` items in order (the most frequent), shuffle the rest with a
    fixed seed so that frequency does not follow the thematic order of the lists."""
    items = dedupe(items)
    rest = items[head:]
    random.Random(salt).shuffle(rest)
    return items[:head] + rest


class Zipf:
    """Zipf–Mandelbrot sampler over a ranked list: weight(r) = 1 / (r + q) ** s."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items, s=1.05, q=2.0):
        self.items = list(items)
        self.cum = list(accumulate(1.0 / (r + q) ** s for r in range(1, len(self.items) + 1)))
        self.total = self.cum[-1]

    def pick(self, rng):
        return self.items[bisect(self.cum, rng.random() * self.total)]

    def index(self, rng):
        return bisect(self.cum, rng.random() * self.total)


def build_vocab():
    nouns = []  # (sg, pl or None, gender)
    for src, g in ((NOUNS_M, "m"), (NOUNS_F, "f")):
        for w in src:
            if w.endswith("?"):
                continue
            mass = w.endswith("*")
            w = w.rstrip("*")
            nouns.append((w, None if mass else noun_plural(w), g))
    # interleave the two genders' heads so both are frequent
    m = [n for n in nouns if n[2] == "m"]
    f = [n for n in nouns if n[2] == "f"]
    inter = []
    for i in range(max(len(m), len(f))):
        if i < len(f):
            inter.append(f[i])
        if i < len(m):
            inter.append(m[i])
    nouns = ranked(inter, head=40)
    adjs = ranked([adj_forms(a) for a in ADJECTIVES if not a.endswith("?")], head=30)
    verbs = ranked([(v,) + verb_forms(v) for v in VERBS], head=25)
    phrases = []
    for p in PHRASES:
        p = p.strip()
        if not p:
            continue
        gn, text = p.split(":", 1)
        phrases.append((text, gn[0], gn[1]))
    named = []
    for p in NAMED:
        p = p.strip()
        if p:
            gn, text = p.split(":", 1)
            named.append((text, gn[0], gn[1]))
    return nouns, adjs, verbs, ranked(phrases, head=20), ranked(named, head=15)


NOUNS, ADJS, VERBS_F, PHRASES_T, NAMED_T = build_vocab()
Z_NOUN = Zipf(NOUNS, s=1.0, q=3.0)
Z_ADJ = Zipf(ADJS, s=1.0, q=2.0)
Z_VERB = Zipf(VERBS_F, s=1.0, q=2.0)
Z_PHRASE = Zipf(PHRASES_T, s=0.9, q=3.0)
Z_NAMED = Zipf(NAMED_T, s=0.9, q=2.0)
Z_ADV = Zipf(ranked(ADVERBS, head=10), s=1.0, q=1.0)
Z_CONN = Zipf(CONNECTORS, s=0.8, q=2.0)
Z_REGION = Zipf([r for r, _ in PE_REGIONS], s=0.7, q=3.0)
Z_PROV = Zipf(PE_PROVINCES, s=0.8, q=3.0)
Z_TOPO = Zipf(ranked([a + b.lower() if a[-1] != b[0] else a + b[1:] for a in TOPO_ROOTS for b in TOPO_ENDS],
                     head=0, salt="toponyms"), s=1.1, q=5.0)
LOCALITY = ["la comunidad campesina de", "el caserío de", "el centro poblado de", "el anexo de",
            "la comunidad de", "el distrito de", "la microcuenca de", "el sector de"]


def vocabulary_size():
    """Distinct lemmas and multiword terms, and distinct inflected word forms."""
    lemmas = len(NOUNS) + len(ADJS) + len(VERBS_F) + len(PHRASES_T) + len(NAMED_T) + len(ADVERBS)
    forms = set()
    for sg, pl, _ in NOUNS:
        forms.add(sg)
        if pl:
            forms.add(pl)
    for a in ADJS:
        forms.update(a)
    for v in VERBS_F:
        forms.update(v)
        p = v[5]
        if p.endswith("o"):
            forms.update((p[:-1] + "a", p + "s", p[:-1] + "as"))
    forms.update(ADVERBS)
    return lemmas, len(forms)


# ---------------------------------------------------------------------------
# Spanish sentence generation
# ---------------------------------------------------------------------------

DET_DEF = {("m", "s"): "el", ("f", "s"): "la", ("m", "p"): "los", ("f", "p"): "las"}
DET_INDEF = {("m", "s"): "un", ("f", "s"): "una", ("m", "p"): "unos", ("f", "p"): "unas"}
DET_DEM = {("m", "s"): "este", ("f", "s"): "esta", ("m", "p"): "estos", ("f", "p"): "estas"}
DET_DEM2 = {("m", "s"): "ese", ("f", "s"): "esa", ("m", "p"): "esos", ("f", "p"): "esas"}
DET_QUANT_P = {"m": ["varios", "muchos", "algunos", "otros", "todos los", "numerosos", "diversos",
                     "los principales", "nuevos"],
               "f": ["varias", "muchas", "algunas", "otras", "todas las", "numerosas", "diversas",
                     "las principales", "nuevas"]}
DET_QUANT_S = {"m": ["cada", "otro", "todo el", "dicho", "algún", "ningún", "cierto"],
               "f": ["cada", "otra", "toda la", "dicha", "alguna", "ninguna", "cierta"]}
ADJ_IDX = {("m", "s"): 0, ("f", "s"): 1, ("m", "p"): 2, ("f", "p"): 3}


def contract(words: str) -> str:
    return words.replace(" de el ", " del ").replace(" a el ", " al ")


class Es:
    """Spanish text from the ranked vocabulary. All randomness comes from `rng`."""

    def __init__(self, rng: random.Random, places):
        self.r = rng
        self.places = places  # list of place strings usable after "en"

    def noun(self, plural_p=0.35):
        r = self.r
        sg, pl, g = Z_NOUN.pick(r)
        if pl is not None and r.random() < plural_p:
            return pl, g, "p"
        return sg, g, "s"

    def adj(self, g, n):
        return Z_ADJ.pick(self.r)[ADJ_IDX[(g, n)]]

    def np(self, depth=0, det=True):
        """Noun phrase: (text, gender, number)."""
        r = self.r
        x = r.random()
        if depth == 0 and x < 0.16:
            text, g, n = Z_PHRASE.pick(r)
            if text.startswith(("el ", "la ")):
                return text, g, n
            if det:
                d = "el" if (n == "s" and text.split(" ", 1)[0] in FEM_EL) else DET_DEF[(g, n)]
                text = d + " " + text
            return text, g, n
        if depth == 0 and x < 0.22:
            return Z_NAMED.pick(r)
        w, g, n = self.noun()
        parts = []
        if det:
            y = r.random()
            if n == "p" and y < 0.14:
                pass  # bare plural
            elif y < 0.70:
                parts.append("el" if (g == "f" and n == "s" and w in FEM_EL) else DET_DEF[(g, n)])
            elif y < 0.78:
                parts.append("un" if (g == "f" and n == "s" and w in FEM_EL) else DET_INDEF[(g, n)])
            elif y < 0.86:
                parts.append((DET_DEM if y < 0.83 else DET_DEM2)[(g, n)])
            elif y < 0.93:
                parts.append("su" if n == "s" else "sus")
            elif n == "p":
                parts.append(r.choice(DET_QUANT_P[g]))
            else:
                parts.append(r.choice(DET_QUANT_S[g]))
        parts.append(w)
        z = r.random()
        if z < 0.45:
            a = self.adj(g, n)
            if a[:4] != w[:4]:
                parts.append(a)
        elif z < 0.50:
            a, b = self.adj(g, n), self.adj(g, n)
            if a != b and a[:4] != w[:4] and b[:4] != w[:4]:
                parts.append(a + " y " + b)
        if depth == 0 and r.random() < 0.30:
            sub, _, _ = self.np(depth=1)
            parts.append("de " + sub)
        return " ".join(parts), g, n

    def npt(self, depth=0):
        return contract(" " + self.np(depth)[0] + " ").strip()

    def place(self):
        r = self.r
        if r.random() < 0.25:
            return f"{r.choice(LOCALITY)} {Z_TOPO.pick(r)}"
        return r.choice(self.places)

    def verb(self, n, tense):
        v = Z_VERB.pick(self.r)
        if tense == 0:
            return v[1] if n == "s" else v[2]
        if tense == 1:
            return v[3] if n == "s" else v[4]
        return ("ha " if n == "s" else "han ") + v[5]

    def inf(self):
        return Z_VERB.pick(self.r)[0]

    def year(self):
        return str(self.r.randint(2000, 2024))

    def pct(self):
        r = self.r
        return f"{r.randint(1, 89)},{r.randint(0, 9)} %"

    def sentence(self):
        r = self.r
        t = r.random()
        tense = 0 if r.random() < 0.5 else (1 if r.random() < 0.7 else 2)
        conn = ""
        if r.random() < 0.22:
            conn = Z_CONN.pick(r) + ", "
        if t < 0.30:
            s, _, n = self.np()
            out = f"{conn}{s.rstrip()} {self.verb(n, tense)} {self.npt()}"
            if r.random() < 0.35:
                out += f" en {self.place()}"
        elif t < 0.42:
            s, _, n = self.np()
            out = f"{conn}{s.rstrip()} {self.verb(n, tense)} {self.npt()} para {self.inf()} {self.npt()}"
        elif t < 0.52:
            s, _, n = self.np()
            out = f"En {self.place()}, {s.rstrip()} {self.verb(n, tense)} {self.npt()}"
        elif t < 0.60:
            o, _, n = self.np()
            v = Z_VERB.pick(r)
            form = (v[1] if n == "s" else v[2]) if tense == 0 else (v[3] if n == "s" else v[4])
            out = f"{conn}se {form} {o.rstrip()}"
            if r.random() < 0.5:
                out += f" con el apoyo de {self.npt()}"
        elif t < 0.68:
            s, g, n = self.np()
            cop = ("es" if n == "s" else "son") if tense != 1 else ("fue" if n == "s" else "fueron")
            adv = Z_ADV.pick(r) + " " if r.random() < 0.3 else ""
            out = f"{conn}{s.rstrip()} {cop} {adv}{self.adj(g, n)} para {self.npt()}"
        elif t < 0.75:
            s, _, n = self.np()
            vb = "permite" if n == "s" else "permiten"
            if tense == 1:
                vb = "permitió" if n == "s" else "permitieron"
            out = f"{s.rstrip()} {vb} {self.inf()} {self.npt()} y {self.inf()} {self.npt()}"
        elif t < 0.82:
            s, _, n = self.np()
            out = f"{conn}{s.rstrip()} {self.verb(n, tense)} {self.npt()}, lo que {self.verb('s', tense)} {self.npt()}"
        elif t < 0.87:
            o, _, _ = self.np(depth=1)
            out = (f"Según {self.npt()}, el {self.pct()} de {o.rstrip()} "
                   f"{self.verb('p', 1)} {self.npt()} entre {r.randint(2004, 2012)} y {r.randint(2013, 2022)}")
        elif t < 0.93:
            s, _, n = self.np()
            out = f"{conn}{s.rstrip()} {self.verb(n, 1)} {self.npt()} en {self.year()} con el apoyo de {self.npt()}"
        else:
            s, _, n = self.np()
            out = f"{conn}{s.rstrip()} {Z_ADV.pick(r)} {self.verb(n, tense)} {self.npt()} y {self.npt()}"
        out = contract(" " + out.replace("  ", " ") + " ").strip()
        return out[0].upper() + out[1:] + "."

    def clause(self):
        """A list item: infinitive clause without final punctuation."""
        r = self.r
        out = f"{self.inf()} {self.npt()}"
        if r.random() < 0.4:
            out += f" en {self.place()}"
        elif r.random() < 0.3:
            out += f" con {self.npt()}"
        return out

    def heading(self):
        r = self.r
        x = r.random()
        if x < 0.55:
            return r.choice(HEADINGS)
        if x < 0.80:
            t = self.npt(depth=1)
            for d in ("el ", "la ", "los ", "las ", "un ", "una ", "unos ", "unas "):
                if t.startswith(d) and r.random() < 0.6:
                    t = t[len(d):]
                    break
        elif x < 0.90:
            t = f"{self.npt(depth=1)} en {self.place()}"
        else:
            t = f"Etapa {r.randint(1, 4)}: {self.npt(depth=1)}"
        return t[0].upper() + t[1:]


def heading_id(text: str) -> str:
    """Same rule as ayni's and GitHub's: lowercase, letters and digits kept (with accents),
    spaces to hyphens, other punctuation dropped."""
    out = []
    for c in text.strip():
        if c.isalnum() or c in "_-":
            out.append(c.lower())
        elif c.isspace():
            out.append("-")
    return "".join(out) or "section"


def slugify(s: str) -> str:
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


# ---------------------------------------------------------------------------
# English text
# ---------------------------------------------------------------------------

class En:
    def __init__(self, rng):
        self.r = rng
        self.zn = Zipf(EN_NOUNS, s=1.0, q=2.0)
        self.za = Zipf(EN_ADJ, s=1.0, q=2.0)
        self.zv = Zipf(EN_VERBS, s=1.0, q=2.0)

    def np(self):
        r = self.r
        n = self.zn.pick(r)
        a = self.za.pick(r) + " " if r.random() < 0.5 else ""
        pl = r.random() < 0.35
        if pl:
            n = n[:-1] + "ies" if n.endswith("y") and n[-2] not in "aeiou" else (
                n + "es" if n.endswith(("s", "sh", "ch", "x")) else n + "s")
        det = "" if pl and r.random() < 0.5 else r.choice(("the ", "the ", "a ", "this ", "each ")) if not pl else "the "
        if det == "a " and (a or n)[0] in "aeiou":
            det = "an "
        tail = f" of the {self.zn.pick(r)}" if r.random() < 0.3 else ""
        return f"{det}{a}{n}{tail}", pl

    def sentence(self):
        r = self.r
        s, pl = self.np()
        v, past = self.zv.pick(r)
        t = r.random()
        if t < 0.5:
            verb = past
        else:
            verb = v if pl else (v[:-1] + "ies" if v.endswith("y") else v + "es" if v.endswith(("s", "sh", "ch")) else v + "s")
        out = f"{s} {verb} {self.np()[0]}"
        if r.random() < 0.3:
            out += f" in {r.choice(['rural areas', 'the Andes', 'the Amazon', 'Peru', 'the region', 'local communities'])}"
        if r.random() < 0.2:
            out = r.choice(EN_CONNECTORS) + ", " + out
        return out[0].upper() + out[1:] + "."

    def clause(self):
        v, _ = self.zv.pick(self.r)
        return f"{v} {self.np()[0]}"

    def pct(self):
        r = self.r
        return f"{r.randint(1, 89)}.{r.randint(0, 9)}%"

    def heading(self):
        return self.r.choice(EN_HEADINGS)


# ---------------------------------------------------------------------------
# Site model
# ---------------------------------------------------------------------------

KINDS = [  # kind, section, slug prefix, weight, label es
    ("case-study", "casos", "caso", 25, "el estudio de caso"),
    ("study", "estudios", "estudio", 22, "el estudio"),
    ("guide", "guias", "guia", 12, "la guía"),
    ("evaluation", "evaluaciones", "evaluacion", 12, "la evaluación"),
    ("systematization", "sistematizaciones", "sistematizacion", 15, "la sistematización"),
    ("policy-brief", "estudios", "nota", 8, "la nota de política"),
    ("report", "evaluaciones", "informe", 6, "el informe"),
]
SECTION_TITLES = {"casos": "Estudios de caso", "estudios": "Estudios", "guias": "Guías",
                  "evaluaciones": "Evaluaciones", "sistematizaciones": "Sistematizaciones"}
PARTNER_TYPES = [("ngo", 35), ("international-ngo", 12), ("state", 12), ("local-government", 12),
                 ("donor", 7), ("multilateral", 5), ("research", 10), ("private", 4)]
COUNTRIES = [("PE", 75), ("BO", 6), ("EC", 6), ("CO", 5), ("GE", 4), ("ZM", 4)]
STAGES = [("agenda", 10), ("evidence", 12), ("proposal", 15), ("dialogue", 13), ("decision", 20),
          ("implementation", 25), ("shelved", 5)]
INSTRUMENTS = [("law", 15), ("regulation", 15), ("ordinance", 20), ("guideline", 10),
               ("program", 12), ("budget", 8), ("strategy", 10), ("plan", 8), ("other", 2)]
CHANGE_TYPES = ["agenda", "discursive", "procedural", "policy-content", "behaviour"]
SDG_ORDER = [2, 1, 16, 17, 5, 10, 3, 4, 8, 6, 13, 15, 11, 12, 9, 7, 14]
POLICY_OBJECTS = [
    "promoción de la agricultura familiar", "lucha contra la anemia infantil",
    "seguridad alimentaria y nutricional", "desarrollo de capacidades productivas",
    "presupuestos participativos", "gestión integrada de recursos hídricos",
    "fortalecimiento de la educación rural", "prevención de la violencia contra la mujer",
    "apoyo a la competitividad productiva", "reducción de la desnutrición crónica infantil",
    "protección de la primera infancia", "siembra y cosecha de agua", "turismo rural comunitario",
    "promoción de cadenas productivas", "innovación agraria", "atención integral del adulto mayor",
    "vigilancia comunal de la salud", "articulación de programas sociales", "ordenamiento territorial",
    "gestión del riesgo de desastres", "conservación de la biodiversidad", "manejo de cuencas",
    "inclusión financiera rural", "compras públicas a la agricultura familiar",
    "alimentación escolar con productos locales", "educación intercultural bilingüe",
    "participación de las mujeres en la gestión del agua", "titulación de comunidades campesinas",
    "mejoramiento genético de camélidos", "reforestación con especies nativas",
]


def weighted(rng, pairs):
    items = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(items, weights)[0]


def yq(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def orcid(rng) -> str:
    digits = [rng.randint(0, 9) for _ in range(15)]
    digits[0:4] = [0, 0, 0, rng.choice((1, 2, 3))]
    total = 0
    for d in digits:
        total = (total + d) * 2
    check = (12 - total % 11) % 11
    s = "".join(map(str, digits)) + ("X" if check == 10 else str(check))
    return "-".join(s[i:i + 4] for i in range(0, 16, 4))


def acronym(name: str) -> str:
    stop = {"de", "del", "la", "las", "los", "el", "y", "para", "en", "sin", "por"}
    letters = [w[0] for w in name.replace(",", "").split() if w.lower() not in stop and w[0].isalpha()]
    return unicodedata.normalize("NFD", "".join(letters)).encode("ascii", "ignore").decode().upper()


def cap(s: str) -> str:
    return s[0].upper() + s[1:] if s else s


def places_for(countries, rng):
    pl = []
    for c in countries:
        if c == "PE":
            pl += [r for r, _ in PE_REGIONS]
            pl += [f"la región {Z_REGION.pick(rng)}" for _ in range(4)]
            pl += [f"la provincia de {Z_PROV.pick(rng)}" for _ in range(6)]
            pl += ["la sierra sur", "la Amazonía peruana", "el sur andino", "la costa norte",
                   "las zonas altoandinas", "los distritos más pobres", "el ámbito rural"]
        else:
            pl += OTHER_PLACES[c] + [COUNTRY_NAMES[c]]
    return pl


def make_title(es: Es, kind, rng, year):
    for _ in range(20):
        n1 = es.npt(depth=1)
        n1b = re.sub(r"^(el|la|los|las|un|una|unos|unas|este|esta|estos|estas|ese|esa|esos|esas|su|sus|cada) ", "", n1)
        n2 = es.npt(depth=1)
        p = es.place()
        x = rng.random()
        if kind == "case-study":
            t = [f"{cap(n1b)} en {p}: {n2}", f"La experiencia de {n1} en {p}",
                 f"Estudio de caso sobre {n1b} en {p}"][int(x * 3)]
        elif kind == "study":
            t = [f"{cap(n1b)} y {n2} en {p}", f"Análisis de {n1} en {p}",
                 f"Estudio sobre {n1b} y {n2}"][int(x * 3)]
        elif kind == "guide":
            t = [f"Guía para {es.inf()} {n1}", f"Manual de {n1b} para {n2}",
                 f"Orientaciones para {es.inf()} {n1} en {p}"][int(x * 3)]
        elif kind == "evaluation":
            t = [f"Evaluación final del proyecto de {n1b} en {p}", f"Evaluación intermedia de {n1}",
                 f"Evaluación de {n1b} en {p}"][int(x * 3)]
        elif kind == "systematization":
            t = [f"Sistematización de la experiencia de {n1b} en {p}",
                 f"Aprendizajes sobre {n1b} en {p}", f"Sistematización de {n1} y {n2}"][int(x * 3)]
        elif kind == "policy-brief":
            t = [f"{cap(n1b)}: propuestas para {n2}", f"Nota de política sobre {n1b} en {p}",
                 f"Hacia {n1}: recomendaciones para {n2}"][int(x * 3)]
        else:
            t = [f"Informe anual {year} sobre {n1b}", f"Informe de {n1b} en {p}",
                 f"Informe sobre {n1b} y {n2}"][int(x * 3)]
        t = contract(" " + t + " ").strip()
        if 5 <= len(t.split()) <= 12:
            return cap(t)
    words = t.split()
    return cap(" ".join(words[:12]).rstrip(":,"))


def make_title_en(en: En, rng):
    for _ in range(20):
        a, _ = en.np()
        b, _ = en.np()
        t = rng.choice([f"{cap(a)} and {b}", f"Lessons on {a} in rural Peru",
                        f"Evaluation of {a} and {b}", f"How {a} shaped {b}"])
        if 5 <= len(t.split()) <= 12:
            return cap(t)
    return cap(" ".join(t.split()[:12]))


def words_limited(sentences_fn, lo, hi):
    """Sentences until at least `lo` words; the last one is cut so the total is at most `hi`."""
    out, n = [], 0
    while n < lo:
        s = sentences_fn().split()
        if n + len(s) > hi:
            s = s[: max(3, hi - n)]
            s[-1] = s[-1].rstrip(".,;:") + "."
        out += s
        n += len(s)
    return " ".join(out)


def build_site(n_products: int, seed: int):
    rng = random.Random(seed)
    n_partners = max(20, n_products // 50)
    n_topics = max(30, n_products // 100)
    n_outcomes = max(10, n_products // 200)

    # --- partners -------------------------------------------------------
    n_networks = max(1, round(n_partners * 0.05))
    types = ["network"] * n_networks + [weighted(rng, PARTNER_TYPES) for _ in range(n_partners - n_networks)]
    rng.shuffle(types)
    partners = []
    names = set()
    for i, ptype in enumerate(types):
        pid = f"org-{i + 1:04d}"
        country = weighted(rng, COUNTRIES)
        if ptype in ("multilateral",) or (ptype in ("international-ngo", "donor") and rng.random() < 0.5):
            country = None
        w = rng.choice(NAME_WORDS)
        region = rng.choice(PE_REGIONS)[0]
        prov = rng.choice(PE_PROVINCES)
        if country and country != "PE":
            prov = region = rng.choice([p for p in OTHER_PLACES[country] if p[0].isupper()] or ["Lima"])
        patterns = {
            "ngo": [f"Centro de Estudios {w}", f"Asociación {w}", f"Centro de Promoción {w}",
                    f"Instituto {w} para el Desarrollo", f"Centro de Desarrollo {w}",
                    f"Asociación Civil {w}", f"Servicios Educativos {w}",
                    f"Centro de Investigación y Promoción {w}"],
            "international-ngo": [f"{w} International", f"Fundación {w}", f"{w} sin Fronteras",
                                  f"Acción {w}", f"{w} Internacional"],
            "state": [f"Programa Nacional {w}", f"Ministerio de {rng.choice(MINISTRIES)}",
                      f"Fondo Nacional {w}", f"Servicio Nacional {w}"],
            "local-government": [f"Municipalidad Provincial de {prov}", f"Municipalidad Distrital de {prov}",
                                 f"Gobierno Regional de {region}"],
            "donor": [f"Agencia {rng.choice(NATIONALITIES)} de Cooperación", f"Fondo {w} para la Cooperación",
                      f"Cooperación {rng.choice(NATIONALITIES)}"],
            "multilateral": [f"Fondo {w} de las Américas", f"Programa Andino {w}",
                             f"Banco {w} de Desarrollo", f"Iniciativa Regional {w}"],
            "research": [f"Instituto de Investigación {w}", f"Universidad Nacional de {prov}",
                         f"Centro de Investigación {w}", f"Grupo de Análisis {w}"],
            "private": [f"Cooperativa Agraria {w}", f"Empresa {w} S.A.C.",
                        f"Asociación de Productores {w}", f"Consultora {w}"],
            "network": [f"Red {w}", f"Alianza {w}", f"Consorcio {w}", f"Mesa {w}", f"Plataforma {w}",
                        f"Colectivo {w}"],
        }
        name = rng.choice(patterns[ptype])
        k = 2
        base = name
        while name in names:
            name = f"{base} de {rng.choice(PE_PROVINCES)}" if k == 2 else f"{base} {k}"
            k += 1
        names.add(name)
        partners.append({"id": pid, "name": name, "type": ptype, "country": country,
                         "short": acronym(name) if rng.random() < 0.6 and len(acronym(name)) >= 2 else None,
                         "website": f"https://{pid.replace('-', '')}.example.org/" if rng.random() < 0.5 else None,
                         "members": []})
    non_networks = [p["id"] for p in partners if p["type"] != "network"]
    for p in partners:
        if p["type"] == "network":
            k = min(len(non_networks), rng.randint(3, 10))
            p["members"] = sorted(rng.sample(non_networks, k))
    popularity = list(range(n_partners))
    rng.shuffle(popularity)
    z_partner = Zipf([partners[i]["id"] for i in popularity], s=1.1, q=1.5)
    ptype_of = {p["id"]: p["type"] for p in partners}

    # --- topics ---------------------------------------------------------
    topic_names = dedupe(t.strip() for t in TOPICS)
    extra = []
    i = 0
    while len(topic_names) + len(extra) < n_topics:
        base = topic_names[i % len(topic_names)]
        q = TOPIC_QUALIFIERS[(i // len(topic_names)) % len(TOPIC_QUALIFIERS)]
        extra.append(f"{base} {q}")
        i += 1
    all_topics = topic_names + extra
    topics, seen_slugs = [], set()
    for t in all_topics:
        s = slugify(t)
        if s not in seen_slugs:
            seen_slugs.add(s)
            topics.append(t)
        if len(topics) == n_topics:
            break
    topics_ranked = ranked(topics, head=10, salt=f"topics/{seed}")
    z_topic = Zipf(topics_ranked, s=1.0, q=1.5)

    # --- outcomes -------------------------------------------------------
    outcomes, oids = [], set()
    es0 = Es(rng, places_for(["PE"], rng))
    for i in range(n_outcomes):
        inst = weighted(rng, INSTRUMENTS)
        year = rng.randint(2003, 2024)
        obj = rng.choice(POLICY_OBJECTS)
        rname, rcode = rng.choice(PE_REGIONS)
        mi = rng.randrange(len(MINISTRIES))
        num = rng.randint(1, 250)
        juris, dm = "PE", "Congreso de la República"
        if inst == "law":
            n = 28000 + rng.randint(0, 3999)
            oid, ident = f"ley-{n}", f"Ley N.° {n}"
            title = f"{ident}, Ley de {obj}"
        elif inst == "regulation":
            ident = f"Decreto Supremo N.° {num:03d}-{year}-{MINISTRY_ABBR[mi]}"
            oid = f"ds-{num:03d}-{year}-{MINISTRY_ABBR[mi].lower()}"
            title = f"{ident}, que aprueba el reglamento de {obj}"
            dm = f"Ministerio de {MINISTRIES[mi]}"
        elif inst == "ordinance":
            ident = f"Ordenanza Regional N.° {num:03d}-{year}-GR{rcode}"
            oid = f"ordenanza-{num:03d}-{year}-gr-{slugify(rname)}"
            title = f"{ident}, que declara de prioridad regional la {obj}" if obj.startswith(("lucha", "promoción", "reducción", "prevención", "protección", "gestión", "conservación", "seguridad", "inclusión", "participación", "titulación", "reforestación", "alimentación", "vigilancia", "articulación", "innovación", "atención", "educación")) else f"{ident}, sobre {obj}"
            juris, dm = f"PE-{rcode}", f"Gobierno Regional de {rname}"
        elif inst == "guideline":
            ident = f"Resolución Ministerial N.° {num:03d}-{year}-{MINISTRY_ABBR[mi]}"
            oid = f"rm-{num:03d}-{year}-{MINISTRY_ABBR[mi].lower()}"
            title = f"{ident}, lineamientos para {obj}"
            dm = f"Ministerio de {MINISTRIES[mi]}"
        elif inst == "program":
            oid = f"programa-{slugify(rname)}-{num:03d}"
            ident = f"Programa regional {rname} {num:03d}"
            title = f"Programa regional de {obj} de {rname}"
            juris, dm = f"PE-{rcode}", f"Gobierno Regional de {rname}"
        elif inst == "budget":
            n = rng.randint(1, 150)
            oid, ident = f"pp-{n:04d}-{year}", f"Programa presupuestal {n:04d}"
            title = f"{ident}: {cap(obj)}"
            dm = "Ministerio de Economía y Finanzas"
        elif inst == "strategy":
            oid = f"estrategia-{slugify(rname)}-{year}"
            ident = f"Estrategia regional {rname} {year}"
            title = f"Estrategia regional de {obj} de {rname}"
            juris, dm = f"PE-{rcode}", f"Gobierno Regional de {rname}"
        elif inst == "plan":
            oid = f"plan-{slugify(rname)}-{year}-{year + 6}"
            ident = f"Plan regional {year}-{year + 6}"
            title = f"Plan regional de {obj} de {rname} {year}-{year + 6}"
            juris, dm = f"PE-{rcode}", f"Gobierno Regional de {rname}"
        else:
            oid = f"acuerdo-{slugify(rname)}-{year}"
            ident = f"Acuerdo de gobernabilidad {rname} {year}"
            title = f"Acuerdo de gobernabilidad por la {obj} en {rname}"
            juris, dm = f"PE-{rcode}", f"Gobierno Regional de {rname}"
        base, k = oid, 2
        while oid in oids:
            oid = f"{base}-{k}"
            k += 1
        oids.add(oid)
        outcomes.append({"id": oid, "title": title, "instrument": inst, "identifier": ident,
                         "jurisdiction": juris, "decision_maker": dm, "date": year,
                         "stage": weighted(rng, STAGES),
                         "change_type": rng.choice(CHANGE_TYPES) if rng.random() < 0.6 else None,
                         "body": [words_limited(es0.sentence, 40, 90) for _ in range(rng.randint(1, 2))]})
    z_outcome = Zipf([o["id"] for o in outcomes], s=0.9, q=1.5)

    # --- products -------------------------------------------------------
    kinds_w = [k[3] for k in KINDS]
    counters = {}
    products = []
    for i in range(n_products):
        kind, section, prefix, _, label = rng.choices(KINDS, kinds_w)[0]
        counters[prefix] = counters.get(prefix, 0) + 1
        slug = f"{prefix}-{counters[prefix]:05d}"
        lang = "en" if rng.random() < 0.03 else "es"
        year = min(2024, 2005 + int(20 * rng.random() ** 0.8))
        month = rng.randint(1, 12)
        c = rng.random()
        if c < 0.78:
            countries = ["PE"]
        elif c < 0.86:
            countries = ["PE", rng.choice(["BO", "EC", "CO"])]
        else:
            countries = [rng.choice(["BO", "EC", "CO", "GE", "ZM"])]
        regions = []
        if countries == ["PE"] and rng.random() < 0.4:
            regions = dedupe(Z_REGION.pick(rng) for _ in range(rng.randint(1, 3)))
        places = ([r for r in regions] * 6 if regions else []) + places_for(countries, rng)
        pr = random.Random(f"{seed}/meta/{slug}")
        es = Es(pr, places)
        if lang == "es":
            title = make_title(es, kind, pr, year)
            subtitle = cap(contract(" " + es.npt(depth=1) + f" en {es.place()} ").strip()) if pr.random() < 0.35 else None
            summary = words_limited(es.sentence, 30, 60)
        else:
            en = En(pr)
            title = make_title_en(en, pr)
            subtitle = None
            summary = words_limited(en.sentence, 30, 60)
        npart = rng.choices([1, 2, 3, 4, 5], [35, 30, 18, 10, 7])[0]
        plist = []
        while len(plist) < npart:
            p = z_partner.pick(rng)
            if p not in plist:
                plist.append(p)
        roles = []
        for j, p in enumerate(plist):
            if j == 0:
                roles.append(None)
                continue
            x = rng.random()
            if ptype_of[p] == "donor" and x < 0.7:
                roles.append("sponsor")
            elif x < 0.30:
                roles.append(None)
            elif x < 0.55:
                roles.append("contributor")
            elif x < 0.72:
                roles.append("sponsor")
            elif x < 0.85:
                roles.append("publisher")
            else:
                roles.append(rng.choice((["sponsor", "contributor"], ["author", "publisher"],
                                         ["publisher", "sponsor"])))
        nauth = rng.choices([0, 1, 2, 3], [25, 40, 25, 10])[0]
        authors = []
        for _ in range(nauth):
            nm = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"
            if rng.random() < 0.3:
                nm += " " + rng.choice(SURNAMES)
            if rng.random() < 0.15:
                a = {"name": nm, "affiliation": rng.choice(plist)}
                if rng.random() < 0.4:
                    a["orcid"] = orcid(rng)
                authors.append(a)
            else:
                authors.append(nm)
        ntop = rng.randint(2, 5)
        tlist = []
        while len(tlist) < ntop:
            t = z_topic.pick(rng)
            if t not in tlist:
                tlist.append(t)
        nout = rng.choices([0, 1, 2], [50, 35, 15])[0]
        olist = []
        while len(olist) < min(nout, len(outcomes)):
            o = z_outcome.pick(rng)
            if o not in [x[0] for x in olist]:
                contrib = None
                if rng.random() < 0.3:
                    contrib = cap(words_limited(es.sentence, 8, 25)) if lang == "es" else None
                olist.append([o, contrib])
        nsdg = rng.randint(1, 3)
        sdgs = sorted(set(SDG_ORDER[min(16, int(rng.paretovariate(1.2)) - 1)] for _ in range(nsdg)))
        source = None
        if rng.random() < 0.2:
            source = {"publisher": rng.choice(plist), "place": rng.choice(["Lima", "Lima", "Cusco", "Arequipa", "La Paz", "Quito"])}
            if rng.random() < 0.5:
                source["series"] = rng.choice(["Serie Aprendizajes", "Documentos de Trabajo",
                                               "Cuadernos de Desarrollo Rural", "Serie Políticas Públicas"])
                source["number"] = str(rng.randint(1, 40))
        products.append({
            "i": i, "kind": kind, "section": section, "slug": slug, "label": label, "lang": lang,
            "title": title, "subtitle": subtitle, "date": f"{year}-{month:02d}", "summary": summary,
            "partners": plist, "roles": roles, "authors": authors, "topics": tlist, "outcomes": olist,
            "countries": countries, "regions": regions, "sdgs": sdgs, "source": source,
            "license": rng.choice(["CC-BY-4.0", "CC-BY-SA-4.0"]) if rng.random() < 0.3 else None,
            "table": rng.random() < 1 / 3, "links": [],
        })

    # every partner appears somewhere, every outcome is linked from some product
    used = {p for pr_ in products for p in pr_["partners"]}
    used |= {m for p in partners for m in p["members"]}
    open_slots = [pr_ for pr_ in products if len(pr_["partners"]) < 5]
    for p in partners:
        if p["id"] not in used and open_slots:
            pr_ = open_slots[rng.randrange(len(open_slots))]
            pr_["partners"].append(p["id"])
            pr_["roles"].append("contributor")
            if len(pr_["partners"]) >= 5:
                open_slots.remove(pr_)
    used_o = {o[0] for pr_ in products for o in pr_["outcomes"]}
    for o in outcomes:
        if o["id"] not in used_o and products:
            cands = [pr_ for pr_ in products if len(pr_["outcomes"]) < 2] or products
            pr_ = cands[rng.randrange(len(cands))]
            pr_["outcomes"].append([o["id"], None])

    # cross-links (1-3 per product, to other products)
    if n_products > 1:
        for pr_ in products:
            for _ in range(rng.randint(1, 3)):
                j = rng.randrange(n_products - 1)
                if j >= pr_["i"]:
                    j += 1
                t = products[j]
                anchor = None
                if rng.random() < 0.4:
                    anchor = rng.choice(("contexto", "conclusiones") if t["lang"] == "es" else ("context", "conclusions"))
                pr_["links"].append({"section": t["section"], "slug": t["slug"], "label": t["label"],
                                     "title": t["title"], "date": t["date"], "anchor": anchor,
                                     "bare": t["section"] == pr_["section"] and rng.random() < 0.3})

    by_outcome = {}
    for pr_ in products:
        for o in pr_["outcomes"]:
            by_outcome.setdefault(o[0], []).append(pr_)
    by_partner = {}
    for pr_ in products:
        for p in pr_["partners"]:
            by_partner.setdefault(p, []).append(pr_)
    pnames = {p["id"]: p["name"] for p in partners}
    return {"partners": partners, "topics": topics_ranked, "outcomes": outcomes, "products": products,
            "by_outcome": by_outcome, "by_partner": by_partner, "pnames": pnames,
            "n_topic_files": max(1, len(topics_ranked) // 2)}


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

def link_path(from_section, link):
    if link["bare"] and link["section"] == from_section:
        path = f"{link['slug']}.md"
    else:
        path = f"../{link['section']}/{link['slug']}.md"
    if link["anchor"]:
        path += "#" + link["anchor"]
    return path


def emphasize(sentence: str, rng, marker: str) -> str:
    toks = sentence.split(" ")
    if len(toks) < 5:
        return sentence
    i = rng.randrange(1, len(toks) - 3)
    k = rng.randint(1, 3)
    span = toks[i:i + k]
    if any(not t[-1].isalnum() for t in span[:-1]) or not span[0][0].isalnum():
        return sentence
    last = span[-1]
    trail = ""
    while last and not last[-1].isalnum():
        trail = last[-1] + trail
        last = last[:-1]
    if not last:
        return sentence
    span[-1] = last
    toks[i:i + k] = [marker + " ".join(span) + marker + trail]
    return " ".join(toks)


def paragraph(gen, rng, nmin=3, nmax=7, links=None, from_section=None, lang="es"):
    sents = [gen.sentence() for _ in range(rng.randint(nmin, nmax))]
    if rng.random() < 0.25:
        j = rng.randrange(len(sents))
        sents[j] = emphasize(sents[j], rng, "**")
    if rng.random() < 0.15:
        j = rng.randrange(len(sents))
        sents[j] = emphasize(sents[j], rng, "*")
    if links:
        lk = links.pop()
        path = link_path(from_section, lk)
        if lang == "es":
            x = rng.random()
            if x < 0.4:
                text = f"{lk['label']} de {lk['date'][:4]}"
                sents.append(f"Así lo documenta [{text}]({path}).")
            elif x < 0.7:
                sents.append(f"Véase también [{lk['title']}]({path}).")
            else:
                s = sents[-1].rstrip(".")
                sents[-1] = f"{s}, como muestra [{lk['label']}]({path})."
        else:
            sents.append(f"See also [{lk['title']}]({path}).")
    return " ".join(sents)


def bullet_list(gen, rng, lang):
    n = rng.randint(3, 6)
    numbered = rng.random() < 0.3
    items = []
    for k in range(n):
        if lang == "es" and rng.random() < 0.2:
            lead = cap(gen.npt(depth=1))
            item = f"**{lead}.** {gen.sentence()}"
        else:
            item = gen.clause() + (";" if k < n - 1 else ".")
        items.append(f"{k + 1}. {item}" if numbered else f"- {item}")
    return "\n".join(items)


def table(gen, rng, pr, pnames):
    kind = rng.randrange(3)
    rows = rng.randint(3, 8)
    if pr["lang"] != "es":
        lines = ["| Region | Year | Indicator | Value |", "| --- | ---: | --- | ---: |"]
        for _ in range(rows):
            lines.append(f"| {Z_REGION.pick(rng)} | {rng.randint(2005, 2022)} | {cap(gen.np()[0])} | {gen.pct()} |")
        return "\n".join(lines)
    if kind == 0:
        lines = ["| Región | Año | Indicador | Valor |", "| --- | ---: | --- | ---: |"]
        for _ in range(rows):
            lines.append(f"| {Z_REGION.pick(rng)} | {rng.randint(2005, 2022)} | {rng.choice(TABLE_INDICATORS)} | {gen.pct()} |")
    elif kind == 1:
        lines = ["| Organización | Rol | Aporte principal |", "| --- | --- | --- |"]
        for k in range(rows):
            p = pr["partners"][k % len(pr["partners"])]
            role = ["autoría", "financiamiento", "asistencia técnica", "coordinación", "difusión"][rng.randrange(5)]
            lines.append(f"| {pnames[p]} | {role} | {cap(gen.clause())} |")
    else:
        lines = ["| Etapa | Periodo | Principales actividades |", "| --- | --- | --- |"]
        y = rng.randint(2004, 2016)
        for k in range(rows):
            y2 = y + rng.randint(1, 3)
            lines.append(f"| Etapa {k + 1} | {y}-{y2} | {cap(gen.clause())} |")
            y = y2
    return "\n".join(lines)


def render_body(pr, seed, words, pnames):
    rng = random.Random(f"{seed}/{pr['slug']}")
    lang = pr["lang"]
    if lang == "es":
        gen = Es(rng, ([r for r in pr["regions"]] * 6 if pr["regions"] else []) + places_for(pr["countries"], rng))
        first, last = "Contexto", "Conclusiones"
    else:
        gen = En(rng)
        first, last = "Context", "Conclusions"
    links = list(reversed(pr["links"]))
    sec = pr["section"]
    out = []
    count = 0

    def add(block):
        nonlocal count
        out.append(block)
        count += block.count(" ") + 1

    add(paragraph(gen, rng, 2, 4, lang=lang))
    add(f"## {first}")
    add(paragraph(gen, rng, links=links, from_section=sec, lang=lang))
    add(paragraph(gen, rng, lang=lang))
    used_ids = {heading_id(first), heading_id(last)}
    want_table = pr["table"]
    footnote = lang == "es" and rng.random() < 0.15
    quote = rng.random() < 0.1
    fn_pending = footnote
    budget = max(words - 120, 100)
    nsec = 0
    while count < budget or links:
        h = gen.heading()
        if heading_id(h) in used_ids:
            h = f"{h} ({nsec + 1})"
        used_ids.add(heading_id(h))
        add(f"## {h}")
        nsec += 1
        add(paragraph(gen, rng, links=links if rng.random() < 0.6 else None, from_section=sec, lang=lang))
        x = rng.random()
        if x < 0.35:
            for _ in range(rng.randint(2, 3)):
                sh = gen.heading()
                shid = heading_id(sh)
                if shid in used_ids:
                    continue
                used_ids.add(shid)
                add(f"### {sh}")
                add(paragraph(gen, rng, 2, 5, lang=lang))
        elif x < 0.65:
            add(paragraph(gen, rng, 1, 2, lang=lang).rstrip(".") + ":")
            add(bullet_list(gen, rng, lang))
        else:
            add(paragraph(gen, rng, lang=lang))
        if want_table and nsec >= 2:
            add("La tabla resume la información disponible." if lang == "es" else "The table summarises the available data.")
            add(table(gen, rng, pr, pnames))
            want_table = False
        if quote and nsec >= 1:
            add("> «" + gen.sentence().rstrip(".") + "» " + ("(testimonio de una dirigente comunal)" if lang == "es" else "(community leader)"))
            quote = False
        if fn_pending and nsec >= 1:
            fn_pending = False
            p = paragraph(gen, rng, 2, 4, lang=lang)
            p = p.replace(". ", ".[^n1] ", 1) if ". " in p else p + "[^n1]"
            add(p)
        if nsec > 200:
            break
    if want_table:
        add(table(gen, rng, pr, pnames))
    add(f"## {last}")
    add(paragraph(gen, rng, 3, 6, lang=lang))
    if footnote:
        add("[^n1]: " + gen.sentence())
    return "\n\n".join(out) + "\n"


def render_front(pr):
    L = ["---", f"title: {yq(pr['title'])}"]
    if pr["subtitle"]:
        L.append(f"subtitle: {yq(pr['subtitle'])}")
    L += [f"kind: {pr['kind']}", f"date: {pr['date']}", f"language: {pr['lang']}",
          f"summary: {yq(pr['summary'])}", "partners:"]
    for p, role in zip(pr["partners"], pr["roles"]):
        if role is None:
            L.append(f"  - {p}")
        elif isinstance(role, list):
            L.append(f"  - {{ id: {p}, role: [{', '.join(role)}] }}")
        else:
            L.append(f"  - {{ id: {p}, role: {role} }}")
    if pr["authors"]:
        L.append("authors:")
        for a in pr["authors"]:
            if isinstance(a, str):
                L.append(f"  - {a}")
            else:
                extra = f", orcid: {a['orcid']}" if "orcid" in a else ""
                L.append(f"  - {{ name: {a['name']}, affiliation: {a['affiliation']}{extra} }}")
    L.append(f"topics: [{', '.join(pr['topics'])}]")
    if pr["outcomes"]:
        L.append("outcomes:")
        for o, contrib in pr["outcomes"]:
            L.append(f"  - {{ id: {o}, contribution: {yq(contrib)} }}" if contrib else f"  - {o}")
    L.append(f"countries: [{', '.join(pr['countries'])}]")
    if pr["regions"]:
        L.append(f"regions: [{', '.join(pr['regions'])}]")
    L.append(f"sdgs: [{', '.join(map(str, pr['sdgs']))}]")
    if pr["source"]:
        L.append("source:")
        for k, v in pr["source"].items():
            L.append(f"  {k}: {yq(v) if k == 'number' else v}")
    if pr["license"]:
        L.append(f"license: {pr['license']}")
    L.append("---")
    return "\n".join(L) + "\n\n"


HUGO_LINK = re.compile(r"\]\((?:\.\./([a-z]+)/)?([a-z]+-\d{5})\.md(#[^)\s]*)?\)")


def hugo_links(body, own_section, root_relative=False):
    """Rewrite ayni's relative .md links to Hugo page URLs: relative (`../../sec/slug/`) in
    product pages, root-relative (`/sec/slug/`) in term pages, whose content Hugo repeats on
    every paginator page (`/partners/x/page/2/`)."""
    prefix = "/" if root_relative else "../../"

    def sub(m):
        sec = m.group(1) or own_section
        return f"]({prefix}{sec}/{m.group(2)}/{m.group(3) or ''})"
    return HUGO_LINK.sub(sub, body)


def hugo_front(pr):
    y, m = pr["date"].split("-")
    L = ["---", f"title: {yq(pr['title'])}", f"date: {y}-{m}-01", f"summary: {yq(pr['summary'])}"]
    L.append("partners: [" + ", ".join(yq(p) for p in pr["partners"]) + "]")
    L.append("topics: [" + ", ".join(yq(t) for t in pr["topics"]) + "]")
    L.append(f"kinds: [{yq(pr['kind'])}]")
    L.append("outcomes: [" + ", ".join(yq(o[0]) for o in pr["outcomes"]) + "]")
    L.append("---")
    return "\n".join(L) + "\n\n"


def zola_front(pr):
    """The same facts as `hugo_front`, in Zola's TOML front matter: its taxonomies have their own table."""
    y, m = pr["date"].split("-")
    L = ["+++", f"title = {yq(pr['title'])}", f"date = {y}-{m}-01", f"description = {yq(pr['summary'])}",
         "[taxonomies]"]
    L.append("partners = [" + ", ".join(yq(p) for p in pr["partners"]) + "]")
    L.append("topics = [" + ", ".join(yq(t) for t in pr["topics"]) + "]")
    L.append(f"kinds = [{yq(pr['kind'])}]")
    L.append("outcomes = [" + ", ".join(yq(o[0]) for o in pr["outcomes"]) + "]")
    L.append("+++")
    return "\n".join(L) + "\n\n"


def write(path, text):
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


# Work shared with worker processes (set before forking).
_JOB = {}


def write_products(indices):
    site, out, hugo, seed, words = _JOB["site"], _JOB["out"], _JOB["hugo"], _JOB["seed"], _JOB["words"]
    zola = _JOB["zola"]
    total = 0
    for i in indices:
        pr = site["products"][i]
        body = render_body(pr, seed, words, site["pnames"])
        total += write(os.path.join(out, "content", pr["section"], pr["slug"] + ".md"), render_front(pr) + body)
        if hugo:
            write(os.path.join(hugo, "content", pr["section"], pr["slug"] + ".md"),
                  hugo_front(pr) + hugo_links(body, pr["section"]))
        if zola:
            # Zola serves pages at the same /section/slug/ URLs as Hugo, so
            # Hugo's rewritten links fit it too.
            write(os.path.join(zola, "content", pr["section"], pr["slug"] + ".md"),
                  zola_front(pr) + hugo_links(body, pr["section"]))
    return total


HUGO_TOML = """baseURL = "https://example.org/"
languageCode = "es"
title = {title}
paginate = 20
disableKinds = []

[taxonomies]
  partner = "partners"
  topic = "topics"
  kind = "kinds"
  outcome = "outcomes"

[markup.goldmark.renderer]
  unsafe = false

[markup.goldmark.parser]
  autoHeadingIDType = "github"
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav>{{ range $name, $_ := .Site.Taxonomies }} <a href="{{ printf "/%s/" $name | relURL }}">{{ $name }}</a>{{ end }}</nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01" }}</time></p>
{{ range $taxonomy, $_ := .Site.Taxonomies }}{{ with $.GetTerms $taxonomy }}
<p>{{ $taxonomy }}: {{ range $i, $t := . }}{{ if $i }}, {{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</p>
{{ end }}{{ end }}
{{ .Content }}
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ $pages := .Pages }}
{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ $paginator := .Paginate $pages.ByDate.Reverse }}
<ul>
{{ range $paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01" }}</time><p>{{ .Summary }}</p></li>
{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}</ul>
{{ end }}
""",
    "_default/term.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ $paginator := .Paginate .Pages.ByDate.Reverse }}
<ul>
{{ range $paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01" }}</time><p>{{ .Summary }}</p></li>
{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
}

# The Zola twin: the same pages as the Hugo twin's templates show, with
# Zola's own taxonomies and pagination. No search index, no feeds: the
# peer is measured without search, as ayni's users would otherwise pair it.
ZOLA_TOML = """base_url = "https://example.org"
title = {title}
default_language = "es"
compile_sass = false
build_search_index = false
generate_feeds = false
taxonomies = [
  {{ name = "partners" }},
  {{ name = "topics" }},
  {{ name = "kinds" }},
  {{ name = "outcomes" }},
]
"""
# Zola's term pages are not paginated: with `paginate_by` on its
# taxonomies, Zola 0.22 took 159 s instead of about 6 for 10,000 products
# (each page of a term's list is given all of the term's pages), and no
# Zola site of that size would keep it. A term's page lists all its pages.

ZOLA_TEMPLATES = {
    "base.html": """<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock title %}</title>
</head>
<body>
<header><a href="{{ get_url(path='/') }}">{{ config.title }}</a>
<nav>{% for name in ["partners", "topics", "kinds", "outcomes"] %} <a href="{{ get_url(path='/' ~ name ~ '/') }}">{{ name }}</a>{% endfor %}</nav>
</header>
<main>
{% block main %}{% endblock main %}
</main>
</body>
</html>
""",
    "index.html": """{% extends "base.html" %}
{% block main %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>
{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink }}">{{ sub.title }}</a></li>
{% endfor %}</ul>
{% endblock main %}
""",
    "section.html": """{% extends "base.html" %}
{% block title %}{{ section.title }} · {{ config.title }}{% endblock title %}
{% block main %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>
{% for p in paginator.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> <time>{{ p.date | date(format="%Y-%m") }}</time><p>{{ p.description }}</p></li>
{% endfor %}</ul>
{% if paginator.previous %}<a href="{{ paginator.previous }}">«</a>{% endif %} {% if paginator.next %}<a href="{{ paginator.next }}">»</a>{% endif %}
{% endblock main %}
""",
    "page.html": """{% extends "base.html" %}
{% block title %}{{ page.title }} · {{ config.title }}{% endblock title %}
{% block main %}
<article>
<h1>{{ page.title }}</h1>
<p><time datetime="{{ page.date }}">{{ page.date | date(format="%Y-%m") }}</time></p>
{% for tax, terms in page.taxonomies %}<p>{{ tax }}: {% for t in terms %}{% if not loop.first %}, {% endif %}<a href="{{ get_taxonomy_url(kind=tax, name=t) }}">{{ t }}</a>{% endfor %}</p>
{% endfor %}
{{ page.content | safe }}
</article>
{% endblock main %}
""",
    "taxonomy_list.html": """{% extends "base.html" %}
{% block main %}
<h1>{{ taxonomy.name }}</h1>
<ul>
{% for term in terms %}<li><a href="{{ term.permalink }}">{{ term.name }}</a> ({{ term.page_count }})</li>
{% endfor %}</ul>
{% endblock main %}
""",
    "taxonomy_single.html": """{% extends "base.html" %}
{% block title %}{{ term.name }} · {{ config.title }}{% endblock title %}
{% block main %}
<h1>{{ term.name }}</h1>
<ul>
{% for p in term.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> <time>{{ p.date | date(format="%Y-%m") }}</time><p>{{ p.description }}</p></li>
{% endfor %}</ul>
{% endblock main %}
""",
}

SITE_TITLE = "Alianzas que aprenden (corpus sintético)"


def partner_doc(p, site, rng):
    L = ["---", f"name: {yq(p['name'])}"]
    if p["short"]:
        L.append(f"short_name: {p['short']}")
    L.append(f"type: {p['type']}")
    if p["country"]:
        L.append(f"country: {p['country']}")
    if p["website"]:
        L.append(f"website: {p['website']}")
    if p["members"]:
        L.append(f"members: [{', '.join(p['members'])}]")
    L.append("---")
    es = Es(rng, places_for([p["country"] or "PE"], rng))
    body = words_limited(es.sentence, 20, 60)
    prods = site["by_partner"].get(p["id"], [])
    if prods and rng.random() < 0.3:
        t = prods[rng.randrange(len(prods))]
        body += f" Entre sus publicaciones está [{t['title']}](../{t['section']}/{t['slug']}.md)."
    return "\n".join(L) + "\n" + body + "\n", body


def outcome_doc(o, site, rng):
    L = ["---", f"title: {yq(o['title'])}", f"instrument: {o['instrument']}",
         f"identifier: {yq(o['identifier'])}", f"jurisdiction: {o['jurisdiction']}",
         f"decision_maker: {yq(o['decision_maker'])}", f"date: {o['date']}", f"stage: {o['stage']}"]
    if o["change_type"]:
        L.append(f"change_type: {o['change_type']}")
    L.append("---")
    body = "\n\n".join(o["body"])
    prods = site["by_outcome"].get(o["id"], [])
    if prods:
        t = prods[rng.randrange(len(prods))]
        anchor = "#contexto" if t["lang"] == "es" and rng.random() < 0.5 else ""
        body += f"\n\nVéase [{t['title']}](../{t['section']}/{t['slug']}.md{anchor})."
    return "\n".join(L) + "\n" + body + "\n", body


def write_zola_frame(zola, sections):
    """The Zola twin's configuration, templates and section files; products come later."""
    for sub in sections + ["templates"]:
        os.makedirs(os.path.join(zola, "content" if sub != "templates" else "", sub), exist_ok=True)
    write(os.path.join(zola, "config.toml"), ZOLA_TOML.format(title=yq(SITE_TITLE)))
    for name, text in ZOLA_TEMPLATES.items():
        write(os.path.join(zola, "templates", name), text)
    write(os.path.join(zola, "content", "_index.md"), f"+++\ntitle = {yq(SITE_TITLE)}\n+++\n")
    for s in sections:
        write(os.path.join(zola, "content", s, "_index.md"),
              f"+++\ntitle = {yq(SECTION_TITLES[s])}\nsort_by = \"date\"\npaginate_by = 20\n+++\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate a synthetic ayni site (and its Hugo twin).")
    ap.add_argument("--products", type=int, required=True, help="number of learning products")
    ap.add_argument("--out", required=True, help="output site directory (replaced)")
    ap.add_argument("--hugo", help="also write a Hugo twin of the same content here (replaced)")
    ap.add_argument("--zola", help="also write a Zola twin of the same content here (replaced)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--words", type=int, default=1200, help="approximate words per product body (default 1200)")
    ap.add_argument("--jobs", type=int, default=0,
                    help="worker processes for product files (default: CPUs, max 8); output does not depend on it")
    args = ap.parse_args(argv)
    if args.products < 1:
        ap.error("--products must be at least 1")
    t0 = time.perf_counter()
    site = build_site(args.products, args.seed)
    out, hugo, zola = args.out, args.hugo, args.zola
    for d in filter(None, (out, hugo, zola)):
        if os.path.exists(d):
            shutil.rmtree(d)
    sections = sorted({pr["section"] for pr in site["products"]} | set(SECTION_TITLES))
    for sub in ["partners", "outcomes", "topics"] + sections:
        os.makedirs(os.path.join(out, "content", sub), exist_ok=True)
    rng = random.Random(f"{args.seed}/registries")
    total = 0
    with open(os.path.join(out, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(f"title: {yq(SITE_TITLE)}\n"
                f"description: \"Corpus sintético de {args.products} productos de aprendizaje para pruebas de rendimiento.\"\n"
                "base_url: \"https://example.org/\"\nlanguage: es\npaginate: 20\n")
    total += write(os.path.join(out, "content", "_index.md"),
                   f"---\ntitle: {yq(SITE_TITLE)}\n---\n" + words_limited(Es(rng, places_for(['PE'], rng)).sentence, 40, 80) + "\n")
    partner_bodies, outcome_bodies = {}, {}
    for p in site["partners"]:
        text, body = partner_doc(p, site, rng)
        partner_bodies[p["id"]] = body
        total += write(os.path.join(out, "content", "partners", p["id"] + ".md"), text)
    for o in site["outcomes"]:
        text, body = outcome_doc(o, site, rng)
        outcome_bodies[o["id"]] = body
        total += write(os.path.join(out, "content", "outcomes", o["id"] + ".md"), text)
    es = Es(rng, places_for(["PE"], rng))
    for t in site["topics"][: site["n_topic_files"]]:
        total += write(os.path.join(out, "content", "topics", slugify(t) + ".md"),
                       f"---\ntitle: {yq(t)}\n---\n{words_limited(es.sentence, 15, 45)}\n")

    if hugo:
        for sub in sections + ["layouts/_default"]:
            os.makedirs(os.path.join(hugo, "content" if not sub.startswith("layouts") else "", sub), exist_ok=True)
        with open(os.path.join(hugo, "hugo.toml"), "w", encoding="utf-8") as f:
            f.write(HUGO_TOML.format(title=yq(SITE_TITLE)))
        for name, text in HUGO_LAYOUTS.items():
            write(os.path.join(hugo, "layouts", name), text)
        write(os.path.join(hugo, "content", "_index.md"), f"---\ntitle: {yq(SITE_TITLE)}\n---\n")
        for s in sections:
            write(os.path.join(hugo, "content", s, "_index.md"), f"---\ntitle: {yq(SECTION_TITLES[s])}\n---\n")
        for tax, title in (("partners", "Socios"), ("topics", "Temas"), ("kinds", "Tipos"), ("outcomes", "Resultados de política")):
            os.makedirs(os.path.join(hugo, "content", tax), exist_ok=True)
            write(os.path.join(hugo, "content", tax, "_index.md"), f"---\ntitle: {yq(title)}\n---\n")
        for p in site["partners"]:
            if p["id"] in site["by_partner"]:  # a term page exists only for used terms
                d = os.path.join(hugo, "content", "partners", p["id"])
                os.makedirs(d, exist_ok=True)
                write(os.path.join(d, "_index.md"), f"---\ntitle: {yq(p['name'])}\n---\n"
                      + hugo_links(partner_bodies[p["id"]], "partners", True) + "\n")
        for o in site["outcomes"]:
            if o["id"] in site["by_outcome"]:
                d = os.path.join(hugo, "content", "outcomes", o["id"])
                os.makedirs(d, exist_ok=True)
                write(os.path.join(d, "_index.md"), f"---\ntitle: {yq(o['title'])}\n---\n"
                      + hugo_links(outcome_bodies[o["id"]], "outcomes", True) + "\n")

    if zola:
        write_zola_frame(zola, sections)

    _JOB.update(site=site, out=out, hugo=hugo, zola=zola, seed=args.seed, words=args.words)
    n = len(site["products"])
    jobs = args.jobs or min(8, os.cpu_count() or 1)
    if jobs > 1 and n >= 200:
        import multiprocessing as mp
        chunks = [list(range(k, n, jobs * 4)) for k in range(jobs * 4)]
        with mp.get_context("fork").Pool(jobs) as pool:
            total += sum(pool.map(write_products, chunks))
    else:
        total += write_products(range(n))
    dt = time.perf_counter() - t0
    print(f"products={n} partners={len(site['partners'])} outcomes={len(site['outcomes'])} "
          f"topics={len(site['topics'])} topic_files={site['n_topic_files']} "
          f"markdown_bytes={total} ({total / 1e6:.1f} MB) seconds={dt:.1f}")


if __name__ == "__main__":
    main()
